package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisServerProcessTest {

  private static RedisServerProcess redis;

  @BeforeAll
  static void startServer() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopServer() {
    redis.close();
  }

  @Test
  void answersCommandsOnItsLoopbackPort() {
    redis.flushAll();
    assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(redis.call("PING")).isEqualTo("PONG");
    assertThat(redis.call("SET", "greeting", "hello wörld")).isEqualTo("OK");
    assertThat(redis.call("GET", "greeting")).isEqualTo("hello wörld");
    assertThat(redis.call("GET", "missing")).isEqualTo(Optional.empty());
    assertThat(redis.call("INCRBY", "counter", "5")).isEqualTo(5L);
    assertThat(redis.call("RPUSH", "list", "a", "b")).isEqualTo(2L);
    assertThat(redis.call("LRANGE", "list", "0", "-1")).isEqualTo(List.of("a", "b"));
  }

  @Test
  void errorRepliesAreThrownWithTheServersMessage() {
    assertThatThrownBy(() -> redis.call("NO-SUCH-COMMAND"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown command");
  }

  @Test
  void persistsNothing() {
    assertThat(redis.call("CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
    assertThat(redis.call("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
  }

  @Test
  void flushAllDeletesEveryKey() {
    redis.call("SET", "doomed", "1");
    redis.flushAll();
    assertThat(redis.call("DBSIZE")).isEqualTo(0L);
  }

  @Test
  void stoppedServerIsUnreachableAndComesBackEmptyOnTheSamePort() {
    int port = redis.port();
    redis.call("SET", "survivor", "1");

    redis.stop();
    assertThat(redis.isRunning()).isFalse();
    assertThatThrownBy(() -> redis.call("PING")).isInstanceOf(IllegalStateException.class);

    redis.restart();
    assertThat(redis.isRunning()).isTrue();
    assertThat(redis.port()).isEqualTo(port);
    assertThat(redis.call("EXISTS", "survivor")).isEqualTo(0L);
  }

  @Test
  void killedServerCanBeRestarted() {
    redis.kill();
    assertThat(redis.isRunning()).isFalse();
    redis.restart();
    assertThat(redis.call("PING")).isEqualTo("PONG");
  }

  @Test
  void pausedServerHoldsCommandsUntilThePauseEnds() {
    long start = System.nanoTime();
    redis.pause(Duration.ofMillis(300));
    assertThat(redis.call("GET", "anything")).isEqualTo(Optional.empty());
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }
}
