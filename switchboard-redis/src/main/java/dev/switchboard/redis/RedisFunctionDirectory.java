package dev.switchboard.redis;

import dev.switchboard.cluster.FunctionDirectory;
import dev.switchboard.cluster.NodeFunctions;
import dev.switchboard.cluster.Offer;
import dev.switchboard.gateway.SharedStateException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FunctionDirectory} of a cluster that shares Redis. Each node keeps a hash of its own,
 * {@code engine.key("rpc", "node", id)} = {@code {address, offers, load}} ({@code offers} a JSON
 * array of {@code {"function", "resources", "idempotent"}}), which expires {@link
 * RedisMembership#entryTtlMillis} (10 s) after it was last written: on each announcement and after
 * each heartbeat of the node's {@link RedisMembership}, so that the load stays fresh and what Redis
 * lost comes back. An announcement and a leave are told on channel {@code engine.key("rpc",
 * "changed")} (the message is the node's id); each node then reads the others again, and does every
 * {@value #POLL_MILLIS} ms anyway: the live ids of the membership's sorted set, then their hashes.
 *
 * <p>So an announcement or a leave is seen within 1 s; a node that crashes, within 6 s (when its
 * heartbeat is 5 s old); a change of load, within about 1.5 s (the next heartbeat, then the next
 * read). While Redis is away, {@link #others} keeps the last view; a failing write is logged once
 * per outage and written again after the next heartbeat.
 *
 * <p>Thread-safe. Writes and reads run on a daemon thread of the directory's own; {@link #announce}
 * and {@link #others} never block. The caller owns the engine and the membership: {@link #close}
 * closes neither.
 */
public final class RedisFunctionDirectory implements FunctionDirectory {

  /** How often a node reads the others' hashes when told of no change: {@value} ms. */
  public static final long POLL_MILLIS = 500;

  private static final Logger log = LoggerFactory.getLogger(RedisFunctionDirectory.class);

  private final RedisEngine engine;
  private final RedisMembership membership;
  private final String address;
  private final LongSupplier load;
  private final String channel;
  private final String nodesKey;
  private final ScheduledExecutorService worker;
  private final StatefulRedisPubSubConnection<String, byte[]> subscription;
  private final Runnable afterHeartbeat = () -> requestWrite(false);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean writeQueued = new AtomicBoolean();
  private final AtomicBoolean refreshQueued = new AtomicBoolean();

  /** Whether the next write must tell the others: an announcement not yet told. */
  private final AtomicBoolean noticeOwed = new AtomicBoolean();

  /** What this node serves: set by {@link #announce}'s callers, read by the worker. */
  private volatile List<Offer> offers = List.of();

  /** The others as last read: set by the worker, read by {@link #others}'s callers. */
  private volatile List<NodeFunctions> view = List.of();

  /** Owned by the worker: whether the last write, or the last read, failed. */
  private boolean writeFailing;

  private boolean readFailing;

  /** Owned by the worker: the nodes whose unreadable hash has been logged. */
  private final Set<String> unreadable = new HashSet<>();

  private RedisFunctionDirectory(
      RedisEngine engine, RedisMembership membership, String address, LongSupplier load) {
    this.engine = engine;
    this.membership = membership;
    this.address = address;
    this.load = load;
    this.channel = engine.key("rpc", "changed");
    this.nodesKey = RedisMembership.nodesKey(engine);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform()
                .daemon(true)
                .name("redis-function-directory-" + engine.nodeId())
                .factory());
    this.subscription = engine.pubSub();
  }

  /**
   * Joins the directory as {@code engine.nodeId()}, with no offers until {@link #announce}: listens
   * for changes (blocks until subscribed, at most the engine's command timeout), then writes this
   * node's hash and reads the others' in the background.
   *
   * @param membership this node's membership, of the same engine, which says who is live
   * @param address where this node's link connects, reported to the others as it is
   * @param load the calls this node's providers are running, read at each write
   * @throws SharedStateException when Redis cannot be reached to subscribe
   * @throws IllegalArgumentException when the membership is another node's
   */
  public static RedisFunctionDirectory join(
      RedisEngine engine, RedisMembership membership, String address, LongSupplier load) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(load, "load");
    if (!membership.nodeId().equals(engine.nodeId())) {
      throw new IllegalArgumentException(
          "the membership is node \""
              + membership.nodeId()
              + "\"'s, the engine node \""
              + engine.nodeId()
              + "\"'s");
    }
    RedisFunctionDirectory directory;
    try {
      directory = new RedisFunctionDirectory(engine, membership, address, load);
    } catch (RuntimeException e) {
      throw new SharedStateException("Redis function directory could not connect: " + e, e);
    }
    directory.start();
    return directory;
  }

  private void start() {
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String from, byte[] message) {
            if (from.equals(channel)) {
              requestRefresh();
            }
          }

          @Override
          public void subscribed(String to, long count) {
            // Lettuce resubscribes after a reconnect: changes told meanwhile were missed.
            requestRefresh();
          }
        });
    try {
      subscription
          .async()
          .subscribe(channel)
          .toCompletableFuture()
          .get(engine.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      close();
      throw new SharedStateException(
          "Redis function directory could not subscribe to " + channel + ": " + e, e);
    }
    membership.afterHeartbeat(afterHeartbeat);
    requestWrite(true);
    worker.scheduleWithFixedDelay(this::requestRefresh, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public String nodeId() {
    return engine.nodeId();
  }

  /** Replaces this node's offers; written and told on the directory's thread. Never blocks. */
  @Override
  public void announce(List<Offer> offers) {
    Objects.requireNonNull(offers, "offers");
    List<Offer> copy = List.copyOf(offers);
    if (closed.get()) {
      return;
    }
    this.offers = copy;
    requestWrite(true);
  }

  /** The other live nodes as last read, sorted by id; empty once closed. Never blocks. */
  @Override
  public List<NodeFunctions> others() {
    return view;
  }

  /**
   * Leaves: stops this directory's thread, then deletes this node's hash and tells the others,
   * waiting at most the engine's command timeout. When Redis cannot be reached, logs it: the others
   * drop this node when its heartbeat is too old. Idempotent; closes neither engine nor membership.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    membership.removeAfterHeartbeat(afterHeartbeat);
    subscription.close();
    // The thread stops before the hash is deleted, so that no write of its can bring it back.
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(
          engine.settings().commandTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        log.warn("node {}: the function directory's thread did not stop in time", nodeId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    view = List.of();
    try {
      engine.call(
          "remove node " + nodeId() + " from the function directory",
          c -> FunctionDirectoryHash.leave(c, nodeKey(nodeId()), channel, nodeId()));
    } catch (SharedStateException e) {
      log.warn(
          "node {} left the function directory without telling Redis ({}); the others drop it"
              + " when its heartbeat is too old",
          nodeId(),
          e.getMessage());
    }
  }

  private void requestWrite(boolean tell) {
    if (tell) {
      noticeOwed.set(true);
    }
    if (writeQueued.compareAndSet(false, true)) {
      run(
          () -> {
            writeQueued.set(false);
            write();
          });
    }
  }

  private void requestRefresh() {
    if (refreshQueued.compareAndSet(false, true)) {
      run(
          () -> {
            refreshQueued.set(false);
            refresh();
          });
    }
  }

  private void run(Runnable task) {
    if (closed.get()) {
      return;
    }
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /** On the worker: writes this node's hash, telling the others if an announcement is owed. */
  private void write() {
    boolean tell = noticeOwed.getAndSet(false);
    String json = FunctionDirectoryHash.encode(offers);
    try {
      engine.call(
          "write node " + nodeId() + "'s functions",
          c ->
              FunctionDirectoryHash.write(
                  c,
                  nodeKey(nodeId()),
                  address,
                  json,
                  load.getAsLong(),
                  membership.entryTtlMillis(),
                  tell ? Optional.of(channel) : Optional.empty(),
                  nodeId()));
    } catch (RuntimeException e) {
      if (tell) {
        noticeOwed.set(true);
      }
      if (!writeFailing && !closed.get()) { // closing interrupts a write: nothing to report
        writeFailing = true;
        log.warn(
            "node {} cannot write its functions ({}); writing them again after each heartbeat,"
                + " logged again when it can",
            nodeId(),
            e.getMessage());
      }
      return;
    }
    if (writeFailing) {
      writeFailing = false;
      log.info("node {} writes its functions again", nodeId());
    }
  }

  /** On the worker: reads the live nodes' ids, then the others' hashes, in two round trips. */
  private void refresh() {
    long since = membership.liveSince();
    List<NodeFunctions> fresh;
    try {
      fresh =
          engine.call(
              "read the function directory",
              c ->
                  FunctionDirectoryHash.readOthers(
                      c, nodesKey, since, nodeId(), this::nodeKey, this::unreadable));
    } catch (RuntimeException e) {
      if (!readFailing && !closed.get()) {
        readFailing = true;
        log.warn(
            "node {} cannot read the function directory ({}); keeping the last view, retrying"
                + " every {} ms",
            nodeId(),
            e.getMessage(),
            POLL_MILLIS);
      }
      return;
    }
    if (readFailing) {
      readFailing = false;
      log.info("node {} reads the function directory again", nodeId());
    }
    if (!closed.get()) {
      view = fresh;
    }
  }

  /** On the worker: a node whose hash cannot be read is left out, and logged once. */
  private void unreadable(String id, Exception error) {
    if (unreadable.add(id)) {
      log.warn(
          "node {}'s functions in Redis are unreadable, so left out: {}", id, error.getMessage());
    }
  }

  private String nodeKey(String id) {
    return engine.key("rpc", "node", id);
  }
}
