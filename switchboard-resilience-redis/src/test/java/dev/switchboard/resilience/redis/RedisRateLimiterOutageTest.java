package dev.switchboard.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.resilience.EventBus;
import dev.switchboard.resilience.ExceptionContext;
import dev.switchboard.resilience.ExceptionHandling;
import dev.switchboard.resilience.FailureReason;
import dev.switchboard.resilience.RateLimiter.Result;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the limiter answers while its redis-server is stopped or hung, and once it is back. */
@Timeout(30)
class RedisRateLimiterOutageTest {

  private static RedisServerProcess redis;
  private static ClientResources resources;

  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private final List<RedisRateLimiterEvent> events = new CopyOnWriteArrayList<>();
  private final List<ExceptionContext> reported = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
    // Reconnect soon after the server is back, instead of after Lettuce's growing back-off.
    resources =
        ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
  }

  @AfterAll
  static void stopRedis() {
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    redis.close();
  }

  @BeforeEach
  void connect() {
    if (!redis.isRunning()) {
      redis.restart();
    }
    client = RedisClient.create(resources, redis.uri());
    connection = client.connect();
  }

  @AfterEach
  void disconnect() {
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Test
  void failsOpenByDefaultWhenRedisIsDown() {
    RedisRateLimiter limiter = limiter(FailureMode.OPEN);
    stopRedis(false);

    Result sync = limiter.tryAcquire("k");
    Result async = limiter.tryAcquireAsync("k").toCompletableFuture().join();

    assertThat(RedisRateLimiterConfig.defaults().failureMode()).isEqualTo(FailureMode.OPEN);
    assertThat(List.of(sync, async)).containsOnly(new Result(true, 0, 0, 0, 0));
    assertThat(events)
        .hasSize(2)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RedisRateLimiterEvent.RedisFailed.class,
                        failed -> {
                          assertThat(failed.failureMode()).isEqualTo(FailureMode.OPEN);
                          assertThat(failed.key()).isEqualTo("k");
                          assertThat(failed.cause()).isInstanceOf(RedisException.class);
                        }));
    assertThat(reported)
        .hasSize(2)
        .allSatisfy(
            context -> {
              assertThat(context.patternName()).isEqualTo("api");
              assertThat(context.reason()).isEqualTo(FailureReason.CALL_FAILED);
              assertThat(context.metadata())
                  .containsEntry("failureMode", FailureMode.OPEN)
                  .containsEntry("key", "k");
            });
  }

  @Test
  void failsClosedWhenConfiguredTo() {
    RedisRateLimiter limiter = limiter(FailureMode.CLOSED);
    stopRedis(true);

    Result refused = limiter.tryAcquire("k", 2);

    assertThat(refused.granted()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(events).singleElement().isInstanceOf(RedisRateLimiterEvent.RedisFailed.class);
  }

  @Test
  void throwsWhenConfiguredTo() {
    RedisRateLimiter limiter = limiter(FailureMode.THROW);
    stopRedis(false);

    assertThatThrownBy(() -> limiter.tryAcquire("k"))
        .isInstanceOf(RedisRateLimiterException.class)
        .hasMessageStartingWith("redis rate limiter 'api' could not ask Redis: ")
        .hasCauseInstanceOf(RedisException.class);
    CompletableFuture<Result> async = limiter.tryAcquireAsync("k").toCompletableFuture();
    assertThat(async)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RedisRateLimiterException.class);
  }

  @Test
  void appliesTheFailureModeWhenRedisAnswersTooLate() {
    RedisRateLimiter limiter = limiter(FailureMode.CLOSED, Duration.ofMillis(100));
    limiter.tryAcquire(
        "warm-up"); // loads the script, so the timed request below is a single EVALSHA
    events.clear();
    redis.pause(Duration.ofMillis(1000));

    Result refused = limiter.tryAcquire("k");

    assertThat(refused.granted()).isFalse();
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            RedisRateLimiterEvent.RedisFailed.class,
            failed ->
                assertThat(failed.cause())
                    .isInstanceOf(RedisCommandTimeoutException.class)
                    .hasMessage("Redis did not answer within PT0.1S"));
    assertThat(reported)
        .singleElement()
        .extracting(ExceptionContext::reason)
        .isEqualTo(FailureReason.TIMEOUT);
    redis.call("PING"); // waits out the pause
  }

  @Test
  void answersFromRedisAgainOnceItIsBack() {
    RedisRateLimiter limiter = limiter(FailureMode.CLOSED);
    stopRedis(false);
    assertThat(limiter.tryAcquire("k").granted()).isFalse();

    redis.restart();

    await().atMost(Duration.ofSeconds(10)).until(() -> limiter.tryAcquire("k").granted());
    assertThat(limiter.tryAcquire("k").remaining()).isEqualTo(8);
  }

  /** Stops or kills the server, and waits until the client has seen its connection drop. */
  private void stopRedis(boolean crash) {
    if (crash) {
      redis.kill();
    } else {
      redis.stop();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !connection.isOpen());
  }

  /**
   * Times out generously: only a paused server (see {@link #limiter(FailureMode, Duration)}) is
   * meant to.
   */
  private RedisRateLimiter limiter(FailureMode mode) {
    return limiter(mode, Duration.ofSeconds(5));
  }

  private RedisRateLimiter limiter(FailureMode mode, Duration commandTimeout) {
    RateLimiterConfig bucket =
        RateLimiterConfig.builder()
            .rate(1)
            .period(Duration.ofSeconds(1))
            .burst(10)
            .eventBus(new EventBus())
            .exceptionHandling(ExceptionHandling.builder().onException(reported::add).build())
            .build();
    RedisRateLimiterConfig config =
        RedisRateLimiterConfig.builder()
            .limit(bucket)
            .failureMode(mode)
            .commandTimeout(commandTimeout)
            .build();
    RedisRateLimiter limiter = RedisRateLimiter.create("api", connection, config);
    limiter.events().onEvent(events::add);
    return limiter;
  }
}
