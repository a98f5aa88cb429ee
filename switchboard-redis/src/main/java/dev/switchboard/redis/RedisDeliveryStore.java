package dev.switchboard.redis;

import dev.switchboard.gateway.Acks;
import dev.switchboard.gateway.ChannelHistory;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.IdempotencyKeys;
import dev.switchboard.gateway.Inboxes;
import dev.switchboard.gateway.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The {@link DeliveryStore} kept in Redis, shared by every node of a cluster: channel histories and
 * inboxes as streams of the Lua library {@code streams.lua}, ACK statistics ({@code acks.lua}) and
 * idempotency keys ({@code idempotency.lua}). Every method is one script, so each is atomic as the
 * in-memory store's lock makes it, across nodes; it blocks until Redis answers (callers are virtual
 * threads) and throws {@link dev.switchboard.gateway.SharedStateException} when Redis does not
 * answer (see {@link RedisEngine#call}).
 *
 * <p>Semantics are the in-memory store's, as {@code DeliveryStoreContract} checks: time is only the
 * {@code now} each call is given (whole milliseconds), never Redis' clock. A stream whose metadata
 * is gone (evicted, collected, or Redis restarted empty) starts a new epoch at offset 1. Every key
 * starts with {@link RedisEngine#key} {@code ("delivery")} and gets a real-time TTL, as garbage
 * collection only: the longest TTL of {@code limits} plus {@link #GC_MARGIN} (for an inbox, at
 * least its latest entry's TTL plus the margin), renewed by each use.
 *
 * <p>The counters since start ({@code evicted}, {@code expired}, {@code dropped} of the totals; the
 * ACK statistics) are kept in Redis hashes: they are the cluster's, not one node's, and count from
 * when the hash was made (a Redis restarted empty starts them over).
 */
public final class RedisDeliveryStore implements DeliveryStore {

  /**
   * How much longer than the longest TTL Redis keeps a key nobody used; {@code streams.lua}'s
   * {@code GC_SLACK_MS} is the same (a key is extended once it fell that far below).
   */
  static final Duration GC_MARGIN = Duration.ofHours(1);

  private final DeliveryLimits limits;
  private final ChannelHistory channels;
  private final Inboxes inboxes;
  private final Acks acks;
  private final IdempotencyKeys idempotency;

  private RedisDeliveryStore(RedisEngine engine, DeliveryLimits limits) {
    this.limits = limits;
    String prefix = keyPrefix(engine);
    long gc = gcMillis(limits);
    this.channels =
        new RedisChannelHistory(
            new RedisStreams(
                engine, prefix, "channel", limits.historyMaxChannels(), gc, StreamId.Channel::new),
            limits);
    this.inboxes =
        new RedisInboxes(
            engine,
            new RedisStreams(
                engine, prefix, "inbox", limits.queueMaxUsers(), gc, StreamId.Inbox::new),
            limits);
    this.acks = new RedisAcks(engine, prefix, limits, gc);
    this.idempotency = new RedisIdempotencyKeys(engine, prefix, limits, gc);
  }

  /**
   * The start of every key of the store: the {@code prefix} argument of {@code streams.lua}'s
   * functions.
   */
  static String keyPrefix(RedisEngine engine) {
    return engine.key("delivery");
  }

  /**
   * The real-time TTL every key of a store bounded by {@code limits} gets at least, as garbage
   * collection: the longest TTL plus {@link #GC_MARGIN}.
   */
  static long gcMillis(DeliveryLimits limits) {
    return Stream.of(
            limits.historyTtl(), limits.queueTtl(), limits.ackTimeout(), limits.idempotencyTtl())
        .max(Duration::compareTo)
        .orElseThrow()
        .plus(GC_MARGIN)
        .toMillis();
  }

  /**
   * The real-time TTL of an inbox's keys when an entry expiring at {@code expiresAt} is appended:
   * {@link #gcMillis}, or longer when the entry outlives it (its TTL plus {@link #GC_MARGIN}).
   */
  static long inboxGcMillis(DeliveryLimits limits, Instant expiresAt, Instant now) {
    long entry = expiresAt.toEpochMilli() - now.toEpochMilli() + GC_MARGIN.toMillis();
    return Math.max(gcMillis(limits), entry);
  }

  /**
   * A store in the Redis of {@code engine}, under its key prefix, bounded by {@code limits}. Stores
   * made with the same engine prefix and limits share their state (that is the point: one per node,
   * all seeing the same streams).
   */
  public static DeliveryStore create(RedisEngine engine, DeliveryLimits limits) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(limits, "limits");
    return new RedisDeliveryStore(engine, limits);
  }

  @Override
  public ChannelHistory channels() {
    return channels;
  }

  @Override
  public Inboxes inboxes() {
    return inboxes;
  }

  @Override
  public Acks acks() {
    return acks;
  }

  @Override
  public IdempotencyKeys idempotency() {
    return idempotency;
  }

  @Override
  public DeliveryLimits limits() {
    return limits;
  }
}
