package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The servers of one cluster configuration: a fresh {@code redis-server} (unless in memory) and the
 * Switchboard nodes, each a child JVM started as {@code fanout} starts one ({@link
 * SwitchboardProcess}), with its own {@code SWITCHBOARD_CLUSTER_NODE_ID}, the same {@code
 * SWITCHBOARD_REDIS_URL}, JWT secret and API key. Node 1 takes the publisher's requests. Closing it
 * stops the nodes, then Redis, whatever failed before.
 */
final class ClusterNodes implements AutoCloseable {

  private final ClusterLayout layout;
  private final Optional<RedisChild> redis;
  private final List<PushTarget> nodes;

  private ClusterNodes(ClusterLayout layout, Optional<RedisChild> redis, List<PushTarget> nodes) {
    this.layout = layout;
    this.redis = redis;
    this.nodes = nodes;
  }

  /**
   * Starts Redis (unless in memory) and the nodes, one after another, each healthy before the next
   * starts.
   */
  static ClusterNodes start(ClusterLayout layout, FanoutSettings settings, PrintStream progress)
      throws IOException, InterruptedException {
    return start(layout, settings, i -> Map.of(), progress);
  }

  /**
   * As {@link #start(ClusterLayout, FanoutSettings, PrintStream)}, with {@code nodeEnv.apply(i)}
   * added to node i's environment (1-based; for example its {@code SWITCHBOARD_CLUSTER_RESOURCES}).
   */
  static ClusterNodes start(
      ClusterLayout layout,
      FanoutSettings settings,
      IntFunction<Map<String, String>> nodeEnv,
      PrintStream progress)
      throws IOException, InterruptedException {
    List<PushTarget> nodes = new ArrayList<>();
    Optional<RedisChild> redis = Optional.empty();
    ClusterNodes cluster = null;
    try {
      if (layout.redis()) {
        redis = Optional.of(RedisChild.start());
        progress.println("cluster: " + redis.get() + ", " + redis.get().version());
      }
      cluster = new ClusterNodes(layout, redis, nodes);
      String secret = SwitchboardProcess.randomToken();
      String apiKey = SwitchboardProcess.randomToken();
      for (int i = 1; i <= layout.nodes(); i++) {
        Map<String, String> env = new HashMap<>(settings.serverEnv());
        if (redis.isPresent()) {
          env.put("SWITCHBOARD_REDIS_URL", redis.get().url());
          env.put("SWITCHBOARD_CLUSTER_NODE_ID", "node-" + i);
        }
        env.putAll(nodeEnv.apply(i));
        progress.printf("cluster: %s: starting node %d%n", layout.label(), i);
        nodes.add(SwitchboardProcess.start(withEnv(settings, env), secret, apiKey));
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      } else {
        redis.ifPresent(RedisChild::close);
      }
      throw e;
    }
  }

  private static FanoutSettings withEnv(FanoutSettings s, Map<String, String> env) {
    return new FanoutSettings(
        s.connections(),
        s.seconds(),
        s.warmupSeconds(),
        s.rate(),
        s.payloadBytes(),
        s.payload(),
        s.fanoutInflight(),
        s.messageTimeoutSeconds(),
        s.clientThreads(),
        s.handshakes(),
        s.httpConnections(),
        s.systems(),
        s.phases(),
        s.serverJvmArgs(),
        env,
        s.external(),
        s.nodeDir());
  }

  ClusterLayout layout() {
    return layout;
  }

  /** Every node, node 1 first: where the devices connect. */
  List<PushTarget> nodes() {
    return List.copyOf(nodes);
  }

  /** Node 1: where the publisher sends. */
  PushTarget first() {
    return nodes.get(0);
  }

  /** The nodes' processes, for their CPU time. */
  List<ProcessHandle> processes() {
    return nodes.stream().flatMap(n -> n.process().stream()).toList();
  }

  Optional<RedisChild> redis() {
    return redis;
  }

  @Override
  public void close() {
    for (PushTarget node : nodes) {
      node.close();
    }
    redis.ifPresent(RedisChild::close);
  }
}
