package dev.switchboard.redis;

import dev.switchboard.gateway.SharedStateException;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of the cluster, and the cluster's live nodes: every node writes a
 * heartbeat to Redis every second (its id scored by the time in a sorted set, {@code
 * engine.key("cluster", "nodes")}, and a hash of its connections and start time, {@code
 * engine.key("cluster", "node", id)}); a node seen within the last 5 s is live, so a node that
 * crashes drops out of {@link #nodes} within 6 s, and one that {@link #close closes} at once.
 *
 * <p>Times are the writers' and readers' clocks ({@link #join}'s), so the nodes' clocks must agree
 * to well within the 5 s. A heartbeat that fails (Redis away) is logged once per outage, then
 * retried every second; nodes unseen for a minute are removed from the sorted set by any heartbeat.
 *
 * <p>Thread-safe. The heartbeat runs on a daemon thread of its own; {@link #nodes} and {@link
 * #isLive} block for at most the engine's command timeout (virtual threads, never an event loop)
 * and throw {@link SharedStateException} when Redis cannot answer.
 */
public final class RedisMembership implements AutoCloseable {

  /** How often a node writes its heartbeat: {@value} ms. */
  public static final long HEARTBEAT_MILLIS = 1_000;

  /** How long after its last heartbeat a node still counts as live: {@value} ms. */
  public static final long LIVE_MILLIS = 5_000;

  /**
   * The sorted set of every node's last heartbeat (node id, scored by epoch ms), which the broker's
   * publish script reads to learn whose answers a send waits for.
   */
  static String nodesKey(RedisEngine engine) {
    return engine.key("cluster", "nodes");
  }

  /** Nodes unseen for this long leave the sorted set: {@value} ms. */
  static final long FORGET_MILLIS = 60_000;

  private static final Logger log = LoggerFactory.getLogger(RedisMembership.class);
  private static final LuaScript HEARTBEAT = LuaScript.load("membership-heartbeat.lua");
  private static final LuaScript LEAVE = LuaScript.load("membership-leave.lua");

  private final RedisEngine engine;
  private final Clock clock;
  private final IntSupplier localConnections;
  private final long heartbeatMillis;
  private final long liveMillis;
  private final long startedAt;
  private final String nodesKey;
  private final ScheduledExecutorService heartbeat;

  /** Run after each heartbeat written, on the heartbeat's thread. */
  private final List<Runnable> afterHeartbeat = new CopyOnWriteArrayList<>();

  /** Whether the last heartbeat failed; owned by the heartbeat's thread (and join's, before). */
  private boolean failing;

  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisMembership(
      RedisEngine engine,
      Clock clock,
      IntSupplier localConnections,
      long heartbeatMillis,
      long liveMillis) {
    this.engine = engine;
    this.clock = clock;
    this.localConnections = localConnections;
    this.heartbeatMillis = heartbeatMillis;
    this.liveMillis = liveMillis;
    this.startedAt = clock.millis();
    this.nodesKey = nodesKey(engine);
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("redis-membership-" + engine.nodeId()).factory());
  }

  /**
   * Joins the cluster as {@code engine.nodeId()}: writes a first heartbeat before it returns (or
   * logs that it could not, and keeps trying), then one every second until {@link #close}.
   *
   * @param clock the time of heartbeats and of the liveness of others
   * @param localConnections this node's connected devices, read at each heartbeat
   */
  public static RedisMembership join(
      RedisEngine engine, Clock clock, IntSupplier localConnections) {
    return join(engine, clock, localConnections, HEARTBEAT_MILLIS, LIVE_MILLIS);
  }

  /** {@link #join} with other timings, for tests that cannot wait for the real ones. */
  static RedisMembership join(
      RedisEngine engine,
      Clock clock,
      IntSupplier localConnections,
      long heartbeatMillis,
      long liveMillis) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(localConnections, "localConnections");
    RedisMembership membership =
        new RedisMembership(engine, clock, localConnections, heartbeatMillis, liveMillis);
    membership.heartbeat.execute(membership::beat);
    membership.heartbeat.scheduleWithFixedDelay(
        membership::beat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    try {
      // The first heartbeat is written (or has failed) before join returns.
      membership.heartbeat.submit(() -> {}).get(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      log.warn("node {} joined without waiting for its first heartbeat: {}", engine.nodeId(), e);
    }
    return membership;
  }

  /** This node's id. */
  public String nodeId() {
    return engine.nodeId();
  }

  /**
   * The live nodes (this one included while its heartbeats are written), sorted by id.
   *
   * @throws SharedStateException when Redis cannot answer
   */
  public List<ClusterNode> nodes() {
    long since = clock.millis() - liveMillis;
    return engine.call(
        "list the cluster's nodes",
        c ->
            c.zrangebyscoreWithScores(
                    nodesKey,
                    Range.from(Range.Boundary.including(since), Range.Boundary.unbounded()))
                .thenCompose(
                    scored -> {
                      List<CompletableFuture<ClusterNode>> nodes = new ArrayList<>();
                      for (ScoredValue<byte[]> s : scored) {
                        String id = new String(s.getValue(), StandardCharsets.UTF_8);
                        Instant seen = Instant.ofEpochMilli((long) s.getScore());
                        nodes.add(
                            c.hget(nodeKey(id), "connections")
                                .thenApply(n -> new ClusterNode(id, connections(n), seen))
                                .toCompletableFuture());
                      }
                      return CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new))
                          .thenApply(
                              done ->
                                  nodes.stream()
                                      .map(CompletableFuture::join)
                                      .sorted(Comparator.comparing(ClusterNode::nodeId))
                                      .toList());
                    }));
  }

  /**
   * Whether {@code nodeId} has written a heartbeat within the last 5 s.
   *
   * @throws SharedStateException when Redis cannot answer
   */
  public boolean isLive(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    Double seen = engine.call("read node " + nodeId, c -> c.zscore(nodesKey, utf8(nodeId)));
    return seen != null && seen.longValue() >= clock.millis() - liveMillis;
  }

  /**
   * Leaves the cluster at once (other nodes no longer count this one) and stops the heartbeat.
   * Idempotent. When Redis cannot be reached, logs it: the node then drops out within 6 s.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopHeartbeat();
    try {
      engine.call(
          "remove node " + nodeId(),
          c ->
              RedisEngine.<Long>eval(
                  c,
                  LEAVE,
                  ScriptOutputType.INTEGER,
                  new String[] {nodesKey, nodeKey(nodeId())},
                  utf8(nodeId())));
    } catch (SharedStateException e) {
      log.warn(
          "node {} left without telling Redis ({}); the others drop it within {} ms",
          nodeId(),
          e.getMessage(),
          liveMillis + heartbeatMillis);
    }
  }

  /**
   * Runs {@code task} after each heartbeat written, on the heartbeat's thread: for stores whose
   * entries expire unless refreshed while this node lives. {@code task} must not take long; what it
   * throws is logged.
   */
  void afterHeartbeat(Runnable task) {
    afterHeartbeat.add(Objects.requireNonNull(task, "task"));
  }

  /** Stops running {@code task} after each heartbeat, as {@link #afterHeartbeat} registered it. */
  void removeAfterHeartbeat(Runnable task) {
    afterHeartbeat.remove(task);
  }

  /** The oldest heartbeat (epoch ms, by this node's clock) that still counts as live now. */
  long liveSince() {
    return clock.millis() - liveMillis;
  }

  /** Stops writing heartbeats without leaving: what a crash looks like to the other nodes. */
  void stopHeartbeat() {
    heartbeat.shutdownNow();
    try {
      if (!heartbeat.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("node {}: the heartbeat did not stop within 10 s", nodeId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long a node's hash outlives its last heartbeat. */
  long entryTtlMillis() {
    return 2 * liveMillis;
  }

  /** On the heartbeat's thread. */
  private void beat() {
    long now = clock.millis();
    try {
      engine.call(
          "write the heartbeat of node " + nodeId(),
          c ->
              RedisEngine.<Long>eval(
                  c,
                  HEARTBEAT,
                  ScriptOutputType.INTEGER,
                  new String[] {nodesKey, nodeKey(nodeId())},
                  utf8(nodeId()),
                  RedisEngine.number(now),
                  RedisEngine.number(localConnections.getAsInt()),
                  RedisEngine.number(startedAt),
                  RedisEngine.number(entryTtlMillis()),
                  RedisEngine.number(now - FORGET_MILLIS)));
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn(
            "node {} cannot write its heartbeat ({}); retrying every {} ms, logged again when it"
                + " can",
            nodeId(),
            e.getMessage(),
            heartbeatMillis);
      }
      return;
    }
    if (failing) {
      failing = false;
      log.info("node {} writes its heartbeat again", nodeId());
    }
    for (Runnable task : afterHeartbeat) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.debug("node {}: a task after the heartbeat failed", nodeId(), e);
      }
    }
  }

  private String nodeKey(String id) {
    return engine.key("cluster", "node", id);
  }

  private static int connections(byte[] value) {
    return value == null ? 0 : Integer.parseInt(new String(value, StandardCharsets.US_ASCII));
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
