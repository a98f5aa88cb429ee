package dev.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * What the sections of {@link DeliveryStoreContract} share: the store factory each delegates to the
 * contract's, small {@link DeliveryLimits} a test adjusts, and helpers for instants, bytes and
 * stream entries. Time is {@link DeliveryStoreContract#START} plus whole seconds or milliseconds.
 */
abstract class DeliveryStoreSection {

  /**
   * An empty store bounded by {@code limits}; in {@link DeliveryStoreContract}, each section's
   * nested class answers with the contract's own {@link DeliveryStoreContract#store}.
   */
  protected abstract DeliveryStore store(DeliveryLimits limits);

  /** Small limits, so that each bound is reached in a few calls; a test changes what it needs. */
  static final class Limits {
    private int historySize = 3;
    private Duration historyTtl = Duration.ofSeconds(60);
    private int historyMaxChannels = 4;
    private int queueSize = 3;
    private Duration queueTtl = Duration.ofHours(1);
    private int queueMaxUsers = 4;
    private Duration ackTimeout = Duration.ofSeconds(30);
    private int acksMaxPending = 4;
    private Duration idempotencyTtl = Duration.ofMinutes(5);
    private int idempotencyMaxKeys = 4;

    Limits historySize(int value) {
      historySize = value;
      return this;
    }

    Limits historyMaxChannels(int value) {
      historyMaxChannels = value;
      return this;
    }

    Limits queueSize(int value) {
      queueSize = value;
      return this;
    }

    Limits queueMaxUsers(int value) {
      queueMaxUsers = value;
      return this;
    }

    Limits acksMaxPending(int value) {
      acksMaxPending = value;
      return this;
    }

    Limits idempotencyMaxKeys(int value) {
      idempotencyMaxKeys = value;
      return this;
    }

    DeliveryLimits build() {
      return new DeliveryLimits(
          historySize,
          historyTtl,
          historyMaxChannels,
          queueSize,
          queueTtl,
          queueMaxUsers,
          ackTimeout,
          acksMaxPending,
          idempotencyTtl,
          idempotencyMaxKeys);
    }
  }

  static final Duration HISTORY_TTL = new Limits().historyTtl;
  static final Duration ACK_TIMEOUT = new Limits().ackTimeout;
  static final Duration IDEMPOTENCY_TTL = new Limits().idempotencyTtl;

  static Limits limits() {
    return new Limits();
  }

  DeliveryStore store() {
    return store(limits().build());
  }

  DeliveryStore store(Limits limits) {
    return store(limits.build());
  }

  static Instant at(long seconds) {
    return DeliveryStoreContract.START.plusSeconds(seconds);
  }

  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  static List<Long> offsets(List<StreamEntry> entries) {
    return entries.stream().map(StreamEntry::offset).toList();
  }

  static List<String> texts(List<StreamEntry> entries) {
    return entries.stream().map(e -> new String(e.message(), UTF_8)).toList();
  }

  static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  /** Appends "{@code channel}-1" ... "{@code channel}-n" to {@code channel} at {@code now}. */
  static List<Position> appendAll(ChannelHistory channels, String channel, int n, Instant now) {
    List<Position> tops = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      tops.add(channels.append(channel, UUID.randomUUID(), bytes(channel + "-" + i), now));
    }
    return tops;
  }

  /** Appends "{@code user}-1" ... "{@code user}-n" to {@code user}'s inbox, expiring in 1 h. */
  static List<Position> appendAll(Inboxes inboxes, String user, int n, Instant now) {
    List<Position> tops = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      tops.add(
          inboxes.append(
              user, UUID.randomUUID(), bytes(user + "-" + i), now.plus(Duration.ofHours(1)), now));
    }
    return tops;
  }
}
