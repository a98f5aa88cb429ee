package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clustered RPC on one node: runs {@code cluster.call} graphs, each command on a provider of this
 * node or, over a node link, of another ({@link Router}); runs the commands other nodes send here
 * ({@link #invokeHere}); keeps the directory told what this node's providers serve, and the node
 * links in step with the directory. Thread-safe.
 */
public final class ClusterRpc implements AutoCloseable {

  /** How often the node links are brought in step with the directory, in ms. */
  static final long SYNC_MILLIS = 200;

  private final LocalProviders providers;
  private final FunctionDirectory directory;
  private final NodeLinks links;
  private final Router router;
  private final Scheduler scheduler;
  private final ScheduledFuture<?> sync;

  private ClusterRpc(
      LocalProviders providers,
      FunctionDirectory directory,
      NodeLinks.Connector connector,
      ScheduledExecutorService executor) {
    this.providers = providers;
    this.directory = directory;
    this.links = new NodeLinks(connector, executor);
    this.router = new Router(providers, directory, links, System::nanoTime);
    this.scheduler = Scheduler.of(executor);
    providers.onChange(() -> directory.announce(providers.offers()));
    directory.announce(providers.offers());
    this.sync =
        executor.scheduleWithFixedDelay(
            () -> links.sync(directory.others()), 0, SYNC_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts clustered RPC on this node.
   *
   * @param providers this node's providers; what they serve is announced now and at every change
   * @param directory the cluster's directory (the caller closes it, after this)
   * @param connector opens node links
   * @param executor runs deadlines, link reconnects and the directory sync (the caller owns it)
   */
  public static ClusterRpc start(
      LocalProviders providers,
      FunctionDirectory directory,
      NodeLinks.Connector connector,
      ScheduledExecutorService executor) {
    Objects.requireNonNull(providers, "providers");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(executor, "executor");
    return new ClusterRpc(providers, directory, connector, executor);
  }

  /** This node's id. */
  public String nodeId() {
    return directory.nodeId();
  }

  /** This node's providers. */
  public LocalProviders providers() {
    return providers;
  }

  /** The other nodes and what they serve, as last seen. */
  public List<NodeFunctions> others() {
    return directory.others();
  }

  /**
   * Runs {@code graph} under one deadline.
   *
   * @throws RoutingException before anything runs, when a command has no provider anywhere
   */
  public GraphRun call(CommandGraph graph, Duration timeout) {
    router.check(graph);
    long deadline = System.nanoTime() + timeout.toNanos();
    return GraphRun.start(graph, router.runner(deadline), timeout, scheduler);
  }

  /**
   * Runs a command another node sent here ({@code cluster.invoke}) on a provider of this node,
   * never further.
   *
   * @return empty when no provider here serves {@code function} at {@code locs} (any more)
   */
  public Optional<CommandRunner.Running> invokeHere(
      String function, List<String> locs, JsonNode params, Duration timeout) {
    return providers.start(function, locs, params, timeout);
  }

  /**
   * Stops bringing the node links in step with the directory: a node that leaves keeps its links
   * while what it routed finishes, though its own directory no longer lists anyone.
   */
  public void stopFollowing() {
    sync.cancel(false);
  }

  /** Closes the node links; the directory and the executor stay the caller's. */
  @Override
  public void close() {
    sync.cancel(false);
    links.close();
  }
}
