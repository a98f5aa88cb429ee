package dev.switchboard.redis;

import dev.switchboard.gateway.SharedStateException;
import io.lettuce.core.ScriptOutputType;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide lease that decides which node handles Ara triggers: the key {@code
 * <prefix>triggers:leader}, holding the token of its holder ({@code <node id>:<random UUID>}) and
 * expiring after {@link TriggerSettings#leaseTime} unless renewed. Every {@link
 * TriggerSettings#renewEvery}, each node runs {@code triggers-lease.lua}: the holder renews, any
 * node takes a free lease, the others learn they do not hold it. {@link #close} gives it up.
 *
 * <p>A node believes it holds the lease until {@code leaseTime - safetyMargin} after it sent its
 * last successful renewal (measured on {@code System.nanoTime}, as Redis measures expiry in elapsed
 * time, not on a wall clock that may jump). So while Redis cannot be reached, the holder stops
 * handling before its lease expires in Redis and before another node can take it.
 *
 * <p>A node only takes or keeps the lease while it can hear triggers ({@code listening}: its
 * pub/sub connection is open); a holder that stops hearing gives the lease up at its next try, so
 * that a node that hears handles, rather than the lease lasting on a deaf node.
 *
 * <p>Thread-safe: renewals run on one scheduler thread; {@link #held} may be read from any thread.
 */
final class TriggerLease implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TriggerLease.class);
  private static final LuaScript LEASE = LuaScript.load("triggers-lease.lua");
  private static final LuaScript RELEASE = LuaScript.load("triggers-release.lua");

  private final RedisEngine engine;
  private final TriggerSettings settings;
  private final LongSupplier nanoTime;
  private final BooleanSupplier listening;
  private final String key;
  private final String token;
  private final ScheduledExecutorService scheduler;

  /**
   * Whether this node holds the lease, and until which {@code nanoTime} reading it believes so.
   * Written by the scheduler thread (and by {@link #close}); read by any.
   */
  private volatile Holding holding = Holding.NOT_HELD;

  /** A lease held until {@code until} ({@code nanoTime}), or not held at all. */
  private record Holding(boolean held, long until) {
    static final Holding NOT_HELD = new Holding(false, 0);
  }

  /** Whether the last renewal held the lease; for logging changes only (scheduler thread). */
  private boolean wasHeld;

  private TriggerLease(
      RedisEngine engine,
      TriggerSettings settings,
      LongSupplier nanoTime,
      BooleanSupplier listening) {
    this.engine = engine;
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.listening = listening;
    this.key = engine.key("triggers", "leader");
    this.token = engine.nodeId() + ":" + UUID.randomUUID();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ara-triggers-lease").daemon().factory());
  }

  /**
   * Starts renewing: the first attempt now (so that a lone node handles triggers at once).
   *
   * @param listening whether this node hears triggers now; asked before each attempt
   */
  static TriggerLease start(
      RedisEngine engine, TriggerSettings settings, BooleanSupplier listening) {
    TriggerLease lease = new TriggerLease(engine, settings, System::nanoTime, listening);
    lease.scheduler.scheduleWithFixedDelay(
        lease::renew, 0, settings.renewEvery().toMillis(), TimeUnit.MILLISECONDS);
    return lease;
  }

  /** Whether this node holds the lease now, and so handles triggers. */
  boolean held() {
    Holding now = holding;
    // Compared as a difference: nanoTime may wrap.
    return now.held() && nanoTime.getAsLong() - now.until() < 0;
  }

  /** The key the lease lives under. */
  String key() {
    return key;
  }

  private void renew() {
    if (!listening.getAsBoolean()) {
      if (holding.held()) {
        log.warn("node {} cannot hear Ara triggers: it gives the lease up", engine.nodeId());
        release();
        wasHeld = false;
      }
      return;
    }
    long sent = nanoTime.getAsLong();
    try {
      Long answer =
          engine.call(
              "renew the triggers lease",
              c ->
                  RedisEngine.eval(
                      c,
                      LEASE,
                      ScriptOutputType.INTEGER,
                      new String[] {key},
                      RedisEngine.utf8(token),
                      RedisEngine.number(settings.leaseTime().toMillis())));
      boolean holds = answer != null && answer == 1L;
      holding =
          holds
              ? new Holding(
                  true, sent + settings.leaseTime().minus(settings.safetyMargin()).toNanos())
              : Holding.NOT_HELD;
      if (holds != wasHeld) {
        log.info("node {} {} the Ara triggers lease", engine.nodeId(), holds ? "took" : "lost");
        wasHeld = holds;
      }
    } catch (SharedStateException e) {
      // The holding stays: the lease may still be ours in Redis until it runs out.
      log.warn(
          "node {} could not renew the Ara triggers lease: {}", engine.nodeId(), e.getMessage());
    } catch (RuntimeException e) {
      // Never let an exception cancel the schedule.
      log.error("renewing the Ara triggers lease failed", e);
    }
  }

  /** Stops renewing and gives the lease up if held (waiting at most one command timeout). */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(
          engine.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release();
  }

  /** Stops believing it holds the lease, then deletes it in Redis if it is still this node's. */
  private void release() {
    holding = Holding.NOT_HELD;
    try {
      engine.call(
          "release the triggers lease",
          c ->
              RedisEngine.<Long>eval(
                  c,
                  RELEASE,
                  ScriptOutputType.INTEGER,
                  new String[] {key},
                  RedisEngine.utf8(token)));
    } catch (SharedStateException e) {
      log.warn(
          "node {} could not release the Ara triggers lease (it expires by itself): {}",
          engine.nodeId(),
          e.getMessage());
    }
  }
}
