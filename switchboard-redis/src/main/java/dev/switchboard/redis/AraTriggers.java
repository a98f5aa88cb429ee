package dev.switchboard.redis;

import dev.switchboard.gateway.SharedStateException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ara's Redis Pub/Sub triggers: notifications an Ara backend asks for by {@code PUBLISH}ing an
 * {@link AraTrigger} on one of the channels {@value #USER_PREFIX}{@code {id}}, {@value #USERS},
 * {@value #BROADCAST}, {@value #CHANNEL_PREFIX}{@code {name}} or {@value #CHANNELS}. These names
 * are Ara's, fixed, and not under the engine's key prefix. Each trigger becomes one {@link
 * TriggerSink#send}.
 *
 * <h2>Once per cluster</h2>
 *
 * Every node subscribes, so every node hears every trigger; only the holder of a lease handles it.
 * The lease is the key {@code <prefix>triggers:leader}, set with an expiry ({@link
 * TriggerSettings#leaseTime}, 3 s by default) by whichever node finds it free, and renewed by its
 * holder every {@link TriggerSettings#renewEvery} (1 s) through a compare-and-renew script; every
 * other node tries to take it on the same schedule. A node decides, when a trigger arrives, whether
 * it holds the lease; the others count the trigger as ignored. Triggers are not deduplicated by
 * content: the same message published twice is two notifications.
 *
 * <p>What this scheme does not promise, honestly:
 *
 * <ul>
 *   <li><b>At most once, not exactly once.</b> Redis Pub/Sub keeps nothing: a trigger published
 *       while no node holds the lease is lost. That window is at most {@link
 *       TriggerSettings#renewEvery} after the holder {@link #close}s (it releases the lease; the
 *       next node to try takes it), and at most {@code leaseTime + renewEvery} after the holder
 *       dies or loses Redis (its lease must expire first), and at most {@code renewEvery} after the
 *       holder's pub/sub connection drops (it gives the lease up at its next try, below).
 *   <li><b>Twice, only with skewed delivery.</b> A holder stops believing it holds the lease {@link
 *       TriggerSettings#safetyMargin} (500 ms) before Redis expires it, and the next holder can
 *       only take it after that; so two nodes both handle a trigger only if Redis delivered it to
 *       them more than that margin apart, across the handover.
 *   <li>A trigger the holder accepted before closing is still sent ({@link #close} drains).
 * </ul>
 *
 * <p>A node takes or keeps the lease only while its pub/sub connection is open, so a node that
 * cannot hear triggers gives the lease to one that can.
 *
 * <h2>Threads and bounds</h2>
 *
 * Lettuce's event loop only enqueues what it hears; one virtual thread parses and sends, in arrival
 * order, with at most {@link TriggerSettings#maxInFlight} sends not completed. At most {@link
 * TriggerSettings#queueCapacity} triggers wait; beyond that a trigger is dropped, counted and
 * logged. A malformed trigger is logged at WARN (the channel, the reason, the first {@value
 * #LOGGED_BODY_LENGTH} characters of the body) and counted, never thrown. The counters are {@link
 * #stats}. Thread-safe.
 */
public final class AraTriggers implements AutoCloseable {

  /** Prefix of the channels of one user's triggers: {@value}{@code {id}}. */
  public static final String USER_PREFIX = "notification:user:";

  /** The channel of triggers for several users: {@value}. */
  public static final String USERS = "notification:users";

  /** The channel of broadcast triggers: {@value}. */
  public static final String BROADCAST = "notification:broadcast";

  /** Prefix of the channels of one channel's triggers: {@value}{@code {name}}. */
  public static final String CHANNEL_PREFIX = "notification:channel:";

  /** The channel of triggers for several channels: {@value}. */
  public static final String CHANNELS = "notification:channels";

  /** How much of a malformed trigger's body a log line shows: {@value} characters. */
  public static final int LOGGED_BODY_LENGTH = 200;

  private static final Logger log = LoggerFactory.getLogger(AraTriggers.class);

  /** A message as heard, waiting for the handler; {@link #STOP} ends the handler. */
  private record Heard(String channel, byte[] body) {}

  private static final Heard STOP = new Heard("", new byte[0]);

  private final RedisEngine engine;
  private final TriggerSink sink;
  private final Clock clock;
  private final TriggerSettings settings;
  private final TriggerLease lease;
  private final StatefulRedisPubSubConnection<String, byte[]> pubSub;
  private final BlockingQueue<Heard> queue;
  private final Semaphore inFlight;
  private final Thread handler;
  private final LongAdder received = new LongAdder();
  private final LongAdder handled = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder ignored = new LongAdder();

  /** Set once Redis confirmed the subscriptions; until then this node does not take the lease. */
  private final AtomicBoolean subscribed;

  /** Set once by {@link #close}; after it nothing more is queued. */
  private final AtomicBoolean closed = new AtomicBoolean();

  private AraTriggers(
      RedisEngine engine,
      TriggerSink sink,
      Clock clock,
      TriggerSettings settings,
      StatefulRedisPubSubConnection<String, byte[]> pubSub,
      AtomicBoolean subscribed) {
    this.engine = engine;
    this.sink = sink;
    this.clock = clock;
    this.settings = settings;
    this.pubSub = pubSub;
    this.subscribed = subscribed;
    // Listening: subscribed once (Lettuce resubscribes after a reconnect) and connected now.
    this.lease = TriggerLease.start(engine, settings, () -> subscribed.get() && pubSub.isOpen());
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.inFlight = new Semaphore(settings.maxInFlight());
    this.handler = Thread.ofVirtual().name("ara-triggers").unstarted(this::handleAll);
  }

  /** {@link #start(RedisEngine, TriggerSink, Clock, TriggerSettings)} with the defaults. */
  public static AraTriggers start(RedisEngine engine, TriggerSink sink, Clock clock) {
    return start(engine, sink, clock, TriggerSettings.defaults());
  }

  /**
   * Subscribes to Ara's trigger channels on a pub/sub connection of its own, and takes part in the
   * lease; returns once subscribed.
   *
   * @param clock stamps each notification's {@code occurred_at}
   * @throws SharedStateException when Redis does not confirm the subscriptions in time
   * @throws NullPointerException if an argument is null
   */
  public static AraTriggers start(
      RedisEngine engine, TriggerSink sink, Clock clock, TriggerSettings settings) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(settings, "settings");
    StatefulRedisPubSubConnection<String, byte[]> pubSub;
    try {
      pubSub = engine.pubSub();
    } catch (RuntimeException e) {
      throw new SharedStateException(
          "Redis could not open a connection for Ara's triggers: " + e.getMessage(), e);
    }
    AraTriggers triggers =
        new AraTriggers(engine, sink, clock, settings, pubSub, new AtomicBoolean());
    triggers.handler.start();
    try {
      triggers.subscribe();
    } catch (RuntimeException e) {
      triggers.close();
      throw e;
    }
    return triggers;
  }

  private void subscribe() {
    pubSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] message) {
            heard(channel, message);
          }

          @Override
          public void message(String pattern, String channel, byte[] message) {
            heard(channel, message);
          }
        });
    long timeout = engine.settings().commandTimeout().toMillis();
    try {
      pubSub.async().subscribe(USERS, BROADCAST, CHANNELS).get(timeout, TimeUnit.MILLISECONDS);
      pubSub
          .async()
          .psubscribe(USER_PREFIX + "*", CHANNEL_PREFIX + "*")
          .get(timeout, TimeUnit.MILLISECONDS);
      subscribed.set(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SharedStateException("interrupted while subscribing to Ara's triggers", e);
    } catch (Exception e) {
      throw new SharedStateException("Redis could not subscribe to Ara's triggers: " + e, e);
    }
  }

  /** On Lettuce's event loop: decide whether this node handles it, and queue it. */
  private void heard(String channel, byte[] body) {
    if (closed.get()) {
      return;
    }
    if (!lease.held()) {
      ignored.increment();
      return;
    }
    received.increment();
    if (!queue.offer(new Heard(channel, body))) {
      dropped.increment();
      log.warn(
          "Ara trigger on {} dropped: {} triggers already wait to be handled",
          channel,
          settings.queueCapacity());
    }
  }

  /** The handler thread: parse and send, in order, until {@link #STOP}. */
  private void handleAll() {
    while (true) {
      Heard heard;
      try {
        heard = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (heard == STOP) {
        return;
      }
      try {
        handle(heard);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void handle(Heard heard) throws InterruptedException {
    switch (AraTrigger.parse(heard.channel(), heard.body(), clock.instant())) {
      case AraTrigger.Parsed.Malformed bad -> {
        malformed.increment();
        log.warn(
            "malformed Ara trigger on {}: {}; body: {}",
            bad.channel(),
            bad.reason(),
            excerpt(heard.body()));
      }
      case AraTrigger.Parsed.Valid valid -> send(valid.trigger(), heard.channel());
    }
  }

  private void send(AraTrigger trigger, String channel) throws InterruptedException {
    inFlight.acquire();
    CompletionStage<?> sent;
    try {
      sent =
          Objects.requireNonNull(
              sink.send(trigger.target(), trigger.notification()), "the sink's answer");
    } catch (RuntimeException e) {
      inFlight.release();
      sendFailed(trigger, channel, e);
      return;
    }
    sent.whenComplete(
        (ok, error) -> {
          inFlight.release();
          if (error == null) {
            handled.increment();
            log.debug(
                "Ara trigger on {} sent as notification {} (tenant {})",
                channel,
                trigger.notification().id(),
                trigger.tenant().id());
          } else {
            sendFailed(trigger, channel, error);
          }
        });
  }

  private void sendFailed(AraTrigger trigger, String channel, Throwable error) {
    failed.increment();
    log.warn(
        "Ara trigger on {} (notification {}, tenant {}) could not be sent: {}",
        channel,
        trigger.notification().id(),
        trigger.tenant().id(),
        error.toString());
  }

  /** The start of {@code body} for a log line, control characters escaped. */
  static String excerpt(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    boolean cut = text.length() > LOGGED_BODY_LENGTH;
    StringBuilder out = new StringBuilder();
    text.substring(0, Math.min(text.length(), LOGGED_BODY_LENGTH))
        .codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return cut ? out.append("...").toString() : out.toString();
  }

  /** What this node did since it started. */
  public TriggerStats stats() {
    return new TriggerStats(
        received.sum(),
        handled.sum(),
        malformed.sum(),
        failed.sum(),
        dropped.sum(),
        ignored.sum(),
        lease.held());
  }

  /** Whether this node holds the lease now, and so handles the triggers it hears. */
  public boolean holdsLease() {
    return lease.held();
  }

  /**
   * Stops listening, gives the lease up (another node takes it at its next try), then sends what
   * was already queued, waiting at most the engine's command timeout for each of: the queue to
   * drain, and the sends in flight to complete. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    pubSub.close();
    lease.close();
    long timeout = engine.settings().commandTimeout().toMillis();
    try {
      if (!queue.offer(STOP, timeout, TimeUnit.MILLISECONDS)
          || !handler.join(Duration.ofMillis(timeout))) {
        handler.interrupt();
        log.warn("Ara triggers still queued at close were not sent: {}", queue.size());
      }
      if (!inFlight.tryAcquire(settings.maxInFlight(), timeout, TimeUnit.MILLISECONDS)) {
        log.warn(
            "Ara trigger sends still in flight at close: {}",
            settings.maxInFlight() - inFlight.availablePermits());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
