package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One node's connection: calls, scripts, and what a caller sees while Redis is away. */
class RedisEngineTest {

  private static RedisServerProcess redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static RedisSettings settings() {
    return RedisSettings.of(redis.uri(), "node-a")
        .withKeyPrefix("engine-test:")
        .withCommandTimeout(Duration.ofMillis(500));
  }

  @Test
  void aCallAnswersWhatRedisAnswers() {
    try (RedisEngine engine = RedisEngine.connect(settings())) {
      engine.call("set", c -> c.set(engine.key("a"), RedisEngine.utf8("1")));

      byte[] value = engine.call("get", c -> c.get(engine.key("a")));

      assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("1");
      assertThat(engine.key("x", "y")).isEqualTo("engine-test:x:y");
    }
  }

  @Test
  void aScriptRedisDoesNotKnowIsSentWholeThenRunsBySha() {
    LuaScript script = LuaScript.of("twice", "return tonumber(ARGV[1]) * 2");
    try (RedisEngine engine = RedisEngine.connect(settings())) {
      redis.call("SCRIPT", "FLUSH");
      for (int i = 0; i < 2; i++) {
        Long doubled =
            engine.call(
                "double",
                c ->
                    RedisEngine.eval(
                        c,
                        script,
                        ScriptOutputType.INTEGER,
                        new String[0],
                        RedisEngine.number(21)));
        assertThat(doubled).isEqualTo(42L);
      }
    }
  }

  @Test
  void aNodeThatCannotReachRedisAtStartSaysWhere() {
    RedisSettings nowhere = RedisSettings.of("redis://127.0.0.1:1", "node-a");

    assertThatThrownBy(() -> RedisEngine.connect(nowhere))
        .isInstanceOf(SharedStateException.class)
        .hasMessageStartingWith("cannot reach Redis at 127.0.0.1:1");
  }

  @Test
  void whileRedisIsAwayCallsFailAtOnceThenTheBreakerOpensAndLaterRecovers() throws Exception {
    try (RedisServerProcess own = RedisServerProcess.start();
        RedisEngine engine =
            RedisEngine.connect(
                RedisSettings.of(own.uri(), "node-a").withCommandTimeout(Duration.ofMillis(500)))) {
      own.stop();
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> engine.call("ping", c -> c.ping()))
            .isInstanceOf(SharedStateException.class)
            .hasMessageStartingWith("Redis could not ping");
      }
      assertThat(engine.isUp()).isFalse();
      assertThatThrownBy(() -> engine.call("ping", c -> c.ping()))
          .hasMessageContaining("circuit breaker open");

      own.restart();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> "PONG".equals(engine.call("ping", c -> c.ping())));
      assertThat(engine.isUp()).isTrue();
    }
  }

  @Test
  void settingsRefuseWhatIsNotARedisUrlAndHideThePassword() {
    assertThatThrownBy(() -> RedisSettings.of("http://x:1", "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("redis.url must start with redis:// or rediss://, got \"http://x:1\"");
    assertThat(RedisSettings.redact("redis://user:secret@host:6379/0"))
        .isEqualTo("redis://user:***@host:6379/0");
    assertThatThrownBy(() -> RedisSettings.of("redis://h:1", "has space"))
        .hasMessageContaining("cluster.node_id");
  }
}
