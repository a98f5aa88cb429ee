package dev.switchboard.redis;

import static dev.switchboard.redis.RedisEngine.number;
import static dev.switchboard.redis.RedisEngine.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Replay;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lua library {@code streams.lua} as a broker script uses it: composed with a body that appends
 * and publishes in one script, and read back through the store. Also: two nodes' stores over one
 * prefix are one store.
 */
class StreamScriptsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** What a broker's publish script does: append to a channel, then publish the stamped offset. */
  private static final LuaScript APPEND_AND_PUBLISH =
      StreamScripts.compose(
          "append-and-publish",
          """
          local top = append_channel(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6],
            ARGV[7], ARGV[8], ARGV[9], ARGV[10])
          redis.call('PUBLISH', ARGV[11], top[1] .. ' ' .. top[2] .. ' ' .. ARGV[4])
          return top
          """);

  private static RedisServerProcess redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static RedisEngine connect(String prefix) {
    return RedisEngine.connect(RedisSettings.of(redis.uri(), "node-a").withKeyPrefix(prefix));
  }

  @Test
  void aBrokerScriptAppendsAndPublishesInOneStepWithTheOffsetTheStoreThenReplays()
      throws Exception {
    try (RedisEngine engine = connect("library-test:");
        StatefulRedisPubSubConnection<String, byte[]> subscriber = engine.pubSub()) {
      BlockingQueue<String> published = new LinkedBlockingQueue<>();
      subscriber.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
              published.add(new String(message, UTF_8));
            }
          });
      String topic = engine.key("broker", "news");
      subscriber.sync().subscribe(topic);
      DeliveryStore store = RedisDeliveryStore.create(engine, DeliveryLimits.DEFAULTS);
      Position before = store.channels().position("news", NOW);

      List<Object> top =
          engine.call(
              "append and publish",
              c ->
                  RedisEngine.<List<Object>>eval(
                      c,
                      APPEND_AND_PUBLISH,
                      ScriptOutputType.MULTI,
                      new String[0],
                      utf8(RedisDeliveryStore.keyPrefix(engine)),
                      utf8("news"),
                      utf8(UUID.randomUUID().toString()),
                      utf8("hello"),
                      number(NOW.toEpochMilli()),
                      number(60_000),
                      number(100),
                      number(10_000),
                      utf8(Position.newEpoch()),
                      number(RedisDeliveryStore.gcMillis(DeliveryLimits.DEFAULTS)),
                      utf8(topic)));

      assertThat(top).hasSize(2);
      assertThat(RedisStreams.asLong(top.get(0))).isEqualTo(1);
      assertThat(RedisStreams.asText(top.get(1))).isEqualTo(before.epoch());
      assertThat(published.poll(5, TimeUnit.SECONDS)).isEqualTo("1 " + before.epoch() + " hello");
      Replay replay = store.channels().since("news", 0, before.epoch(), NOW.plusSeconds(1));
      assertThat(replay.recovered()).isTrue();
      assertThat(replay.entries()).hasSize(1);
      assertThat(replay.entries().getFirst().message()).isEqualTo(utf8("hello"));
      assertThat(replay.entries().getFirst().expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }
  }

  @Test
  void twoNodesStoresOverOnePrefixShareTheirStreams() {
    try (RedisEngine a = connect("shared-test:");
        RedisEngine b = connect("shared-test:")) {
      DeliveryStore onA = RedisDeliveryStore.create(a, DeliveryLimits.DEFAULTS);
      DeliveryStore onB = RedisDeliveryStore.create(b, DeliveryLimits.DEFAULTS);

      Position first =
          onA.inboxes().append("alice", UUID.randomUUID(), utf8("1"), NOW.plusSeconds(9), NOW);
      Position second =
          onB.inboxes().append("alice", UUID.randomUUID(), utf8("2"), NOW.plusSeconds(9), NOW);

      assertThat(second.offset()).isEqualTo(first.offset() + 1);
      assertThat(second.epoch()).isEqualTo(first.epoch());
      assertThat(onA.inboxes().owed("alice", NOW)).hasSize(2);
    }
  }
}
