package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.ChannelHistory;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.DeliveryStoreContract;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Replay;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivery store contract on Redis (a real {@code redis-server}, one per class; each store its
 * own key prefix), and what only a shared store can show: Redis restarted empty, keys collected by
 * a real TTL, Redis gone. The contract's sections are nested classes this class inherits.
 */
class RedisDeliveryStoreTest extends DeliveryStoreContract {

  private static final AtomicInteger STORES = new AtomicInteger();

  private static RedisServerProcess redis;

  /** The engines of this test's stores, closed after it. */
  private final List<RedisEngine> engines = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(RedisEngine::close);
    engines.clear();
  }

  private RedisEngine engine(RedisSettings settings) {
    RedisEngine engine = RedisEngine.connect(settings);
    engines.add(engine);
    return engine;
  }

  private static String newPrefix() {
    return "store-test-" + STORES.incrementAndGet() + ":";
  }

  @Override
  protected DeliveryStore store(DeliveryLimits limits) {
    RedisSettings settings = RedisSettings.of(redis.uri(), "node-a").withKeyPrefix(newPrefix());
    return RedisDeliveryStore.create(engine(settings), limits);
  }

  @Test
  void aRedisRestartedEmptyGivesEveryStreamANewEpochAndStartsItsOffsetsOver() {
    DeliveryStore store = store(DeliveryLimits.DEFAULTS);
    Position channel = store.channels().append("news", UUID.randomUUID(), new byte[] {1}, START);
    Position inbox =
        store
            .inboxes()
            .append("alice", UUID.randomUUID(), new byte[] {1}, START.plusSeconds(600), START);

    redis.flushAll();

    Instant now = START.plusSeconds(1);
    Replay channelAfter = store.channels().since("news", 1, channel.epoch(), now);
    Replay inboxAfter = store.inboxes().since("alice", 1, inbox.epoch(), now);
    assertThat(channelAfter.recovered()).isFalse();
    assertThat(channelAfter.top().offset()).isZero();
    assertThat(channelAfter.top().epoch()).isNotEqualTo(channel.epoch());
    assertThat(inboxAfter.recovered()).isFalse();
    assertThat(inboxAfter.top().offset()).isZero();
    assertThat(inboxAfter.top().epoch()).isNotEqualTo(inbox.epoch());
    Position next = store.channels().append("news", UUID.randomUUID(), new byte[] {2}, now);
    assertThat(next).isEqualTo(new Position(channel.stream(), 1, channelAfter.top().epoch()));
  }

  @Test
  void anEpochIsEightCharactersOfDigitsAndLowerCaseLetters() {
    String epoch = store(DeliveryLimits.DEFAULTS).channels().position("news", START).epoch();

    assertThat(epoch).matches("[0-9a-z]{8}");
  }

  @Test
  void everyKeyTheStoreMakesHasARealTtlOfTheLongestLimitPlusAMargin() {
    String prefix = newPrefix();
    DeliveryStore store =
        RedisDeliveryStore.create(
            engine(RedisSettings.of(redis.uri(), "node-a").withKeyPrefix(prefix)),
            DeliveryLimits.DEFAULTS);
    UUID id = UUID.randomUUID();
    store.channels().append("news", id, new byte[] {1}, START);
    store.inboxes().append("alice", id, new byte[] {1}, START.plus(Duration.ofDays(2)), START);
    store.inboxes().append("bob", id, new byte[] {1}, START.plusSeconds(60), START);
    store.inboxes().ack("bob", id, START);
    store.inboxes().totals(START.plusSeconds(1));
    store.channels().totals(START.plusSeconds(1));
    store.acks().delivered("alice", id, START);
    store.acks().ack("alice", id, START.plusSeconds(1));
    store.acks().delivered("bob", id, START);
    store.idempotency().claim("k1", "f1", START);
    store.idempotency().complete("k1", new byte[] {1}, START);

    @SuppressWarnings("unchecked")
    List<Object> keys = (List<Object>) redis.call("KEYS", prefix + "*");

    // The longest of the defaults is the offline queue's hour; alice's entry lives two days, and
    // so do the inbox keys it shares with others (the LRU list, the totals).
    long hour = Duration.ofHours(1).toMillis();
    assertThat(keys).hasSizeGreaterThan(15);
    for (Object key : keys) {
      long ttl = (Long) redis.call("PTTL", (String) key);
      boolean alices =
          ((String) key).endsWith(":alice") || ((String) key).matches(".*:inbox:(lru|totals)");
      long longest = alices ? Duration.ofDays(2).toMillis() + hour : 2 * hour;
      assertThat(ttl).as("TTL of %s", key).isBetween(longest - 60_000, longest);
    }
  }

  @Test
  void aStreamWhoseKeysRedisCollectedMakesRoomWithoutEvictingAnother() {
    String prefix = newPrefix();
    DeliveryLimits limits =
        new DeliveryLimits(
            10,
            Duration.ofMinutes(1),
            2,
            10,
            Duration.ofHours(1),
            2,
            Duration.ofSeconds(30),
            10,
            Duration.ofMinutes(5),
            10);
    DeliveryStore store =
        RedisDeliveryStore.create(
            engine(RedisSettings.of(redis.uri(), "node-a").withKeyPrefix(prefix)), limits);
    Position a = store.channels().append("a", UUID.randomUUID(), new byte[] {1}, START);
    Position b = store.channels().append("b", UUID.randomUUID(), new byte[] {1}, START);

    // What the real-time TTL does to a stream nobody used for long: a's keys go, its name stays.
    for (String part : List.of("meta", "offsets", "expiry", "data")) {
      redis.call("DEL", prefix + "delivery:channel:" + part + ":a");
    }
    store.channels().append("c", UUID.randomUUID(), new byte[] {1}, START.plusSeconds(1));

    Instant now = START.plusSeconds(2);
    assertThat(store.channels().totals(now)).isEqualTo(new ChannelHistory.Totals(2, 2, 0));
    assertThat(store.channels().position("b", now)).isEqualTo(b);
    Position aAgain = store.channels().position("a", now);
    assertThat(aAgain.offset()).isZero();
    assertThat(aAgain.epoch()).isNotEqualTo(a.epoch());
  }

  @Test
  void whileRedisIsAwayEveryPartThrowsSharedStateException() {
    try (RedisServerProcess own = RedisServerProcess.start()) {
      DeliveryStore store =
          RedisDeliveryStore.create(
              engine(
                  RedisSettings.of(own.uri(), "node-a")
                      .withKeyPrefix(newPrefix())
                      .withCommandTimeout(Duration.ofMillis(500))),
              DeliveryLimits.DEFAULTS);
      assertThat(store.channels().position("news", START).offset()).isZero();

      own.stop();

      UUID id = UUID.randomUUID();
      List<ThrowingCallable> calls =
          List.of(
              () -> store.channels().append("news", id, new byte[] {1}, START),
              () -> store.channels().since("news", 0, "e", START),
              () -> store.inboxes().owed("alice", START),
              () -> store.inboxes().append("alice", id, new byte[] {1}, START, START),
              () -> store.acks().delivered("alice", id, START),
              () -> store.acks().stats(START),
              () -> store.idempotency().claim("k", "f", START));
      for (ThrowingCallable call : calls) {
        assertThatThrownBy(call)
            .isInstanceOf(SharedStateException.class)
            .hasMessageStartingWith("Redis could not ");
      }
    }
  }
}
