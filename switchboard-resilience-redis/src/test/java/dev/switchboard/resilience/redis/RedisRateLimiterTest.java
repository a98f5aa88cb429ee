package dev.switchboard.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.resilience.EventBus;
import dev.switchboard.resilience.RateLimiter.Result;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limiter against a real redis-server; buckets that must not refill during a test get 1 token
 * an hour.
 */
@Timeout(30)
class RedisRateLimiterTest {

  private static final Duration HOUR = Duration.ofHours(1);

  private static RedisServerProcess redis;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  private final List<RedisRateLimiterEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
    client = RedisClient.create(redis.uri());
    connection = client.connect();
  }

  @AfterAll
  static void stopRedis() {
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  @AfterEach
  void redisAnsweredEveryRequest() {
    assertThat(events).noneMatch(e -> e instanceof RedisRateLimiterEvent.RedisFailed);
  }

  @Test
  void grantsTheBurstThenRefusesWithTheTimeUntilTheNextToken() {
    RedisRateLimiter limiter = limiter(config(3, Duration.ofSeconds(30), 3));

    assertThat(limiter.tryAcquire("alice").remaining()).isEqualTo(2);
    assertThat(limiter.tryAcquire("alice").remaining()).isEqualTo(1);
    Result last = limiter.tryAcquire("alice");
    Result refused = limiter.tryAcquire("alice");

    assertThat(last.granted()).isTrue();
    assertThat(last.remaining()).isZero();
    assertThat(refused.granted()).isFalse();
    assertThat(refused.remaining()).isZero();
    long tokenNanos = Duration.ofSeconds(10).toNanos();
    assertThat(refused.retryAfterNanos()).isPositive().isLessThanOrEqualTo(tokenNanos);
    assertThat(refused.nanosUntilNextToken()).isEqualTo(refused.retryAfterNanos());
    assertThat(refused.nanosUntilFull())
        .isGreaterThan(2 * tokenNanos)
        .isLessThanOrEqualTo(3 * tokenNanos);
  }

  @Test
  void grantsExactlyTheBurstToEightThreadsHammeringOneKey() throws Exception {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 100));
    AtomicInteger granted = new AtomicInteger();

    Concurrently.run(
        8,
        () -> {
          for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire("shared").granted()) {
              granted.incrementAndGet();
            }
          }
        });

    assertThat(granted).hasValue(100);
  }

  @Test
  void countsEveryOneOfThousandsOfRequestsArrivingInTheSameMillisecond() {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 1000));

    List<CompletableFuture<Result>> results = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      results.add(limiter.tryAcquireAsync("flood").toCompletableFuture());
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();

    assertThat(results.stream().filter(r -> r.join().granted()).count()).isEqualTo(1000);
  }

  @Test
  void refusedRequestsTakeNothingAndWriteNothing() throws Exception {
    RedisRateLimiter limiter = limiter(config(1, Duration.ofSeconds(1), 2));
    limiter.tryAcquire("k");
    limiter.tryAcquire("k");
    Object stateWhenEmpty = redis.call("HGETALL", "test:k");

    List<CompletableFuture<Result>> refusals = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      refusals.add(limiter.tryAcquireAsync("k").toCompletableFuture());
    }
    Result lastRefusal = refusals.getLast().join();

    assertThat(refusals).allSatisfy(r -> assertThat(r.join().granted()).isFalse());
    assertThat(redis.call("HGETALL", "test:k")).isEqualTo(stateWhenEmpty);
    // The one token is due exactly retryAfter after the last refusal ran; it ran before its reply
    // came back.
    Thread.sleep(Duration.ofNanos(lastRefusal.retryAfterNanos()).plusMillis(5));
    assertThat(limiter.tryAcquire("k").granted()).isTrue();
    assertThat(limiter.tryAcquire("k").granted()).isFalse();
  }

  @Test
  void grantsExactlyTheTokensRefilledOverSeveralPeriodsToThreadsHammeringOneKey() throws Exception {
    int rate = 20;
    Duration period = Duration.ofMillis(100);
    int burst =
        200; // empty after the first request; refilling it takes 1 s, longer than the test runs
    RedisRateLimiter limiter = limiter(config(rate, period, burst));
    AtomicInteger granted = new AtomicInteger();

    long firstSent = System.nanoTime();
    granted.addAndGet(limiter.tryAcquire("steady", burst).granted() ? burst : 0);
    long firstAnswered = System.nanoTime();
    long deadline = firstAnswered + Duration.ofMillis(400).toNanos();
    Concurrently.run(
        4,
        () -> {
          while (System.nanoTime() < deadline) {
            if (limiter.tryAcquire("steady").granted()) {
              granted.incrementAndGet();
            }
          }
        });
    long lastSent = System.nanoTime();
    Result last = limiter.tryAcquire("steady");
    long lastAnswered = System.nanoTime();
    int leftInBucket = last.granted() ? 1 + last.remaining() : 0;

    // Refill never reached the cap, so every whole token produced between the first and the last
    // request was
    // either granted or is still in the bucket. Redis ran those two requests at most `outer` and at
    // least
    // `inner` apart.
    long outer = lastAnswered - firstSent;
    long inner = lastSent - firstAnswered;
    assertThat(granted.get() + leftInBucket)
        .isBetween(burst + tokens(inner, rate, period), burst + tokens(outer, rate, period));
  }

  @Test
  void takesSeveralPermitsAtOnceAndRefusesThemWhole() {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 10));

    assertThat(limiter.tryAcquire("k", 4).remaining()).isEqualTo(6);
    assertThat(limiter.tryAcquire("k", 4).remaining()).isEqualTo(2);
    Result refused = limiter.tryAcquire("k", 4);
    Result rest = limiter.tryAcquire("k", 2);

    assertThat(refused.granted()).isFalse();
    assertThat(refused.remaining()).isEqualTo(2);
    assertThat(refused.retryAfterNanos())
        .isGreaterThan(HOUR.toNanos())
        .isLessThanOrEqualTo(2 * HOUR.toNanos());
    assertThat(rest.granted()).isTrue();
    assertThat(rest.remaining()).isZero();
  }

  @Test
  void permitsOutsideOneToTheBurstAreAProgrammingError() {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 10));

    assertThatThrownBy(() -> limiter.tryAcquire("k", 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be between 1 and the burst 10, got 11");
    assertThatThrownBy(() -> limiter.tryAcquireAsync("k", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be between 1 and the burst 10, got 0");
    assertThatThrownBy(() -> limiter.tryAcquire(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key");
  }

  @Test
  void keysHaveSeparateBuckets() {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 2));
    limiter.tryAcquire("alice", 2);

    assertThat(limiter.tryAcquire("alice").granted()).isFalse();
    assertThat(limiter.tryAcquire("bob").remaining()).isEqualTo(1);
  }

  @Test
  void aBucketsKeyExpiresWhenItWouldBeFullAgain() {
    RedisRateLimiter limiter = limiter(config(10, Duration.ofSeconds(1), 10));

    limiter.tryAcquire("k", 3);

    assertThat(redis.call("EXISTS", "test:k")).isEqualTo(1L);
    assertThat((Long) redis.call("PTTL", "test:k")).isPositive().isLessThanOrEqualTo(300);
  }

  @Test
  void loadsTheScriptAgainWhenRedisLostIt() {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 10));
    limiter.tryAcquire("k");

    redis.call("SCRIPT", "FLUSH");
    assertThat(redis.call("SCRIPT", "EXISTS", TokenBucketScript.SHA1)).isEqualTo(List.of(0L));
    Result afterFlush = limiter.tryAcquire("k");

    assertThat(afterFlush.granted()).isTrue();
    assertThat(afterFlush.remaining()).isEqualTo(8);
    assertThat(redis.call("SCRIPT", "EXISTS", TokenBucketScript.SHA1)).isEqualTo(List.of(1L));
  }

  @Test
  void limitersWithAnotherRateKeepTheTokensOfASharedKey() {
    RedisRateLimiter oneAnHour = limiter(config(1, HOUR, 10));
    RedisRateLimiter twoAnHour = limiter(config(2, HOUR, 10));

    oneAnHour.tryAcquire("k", 5);

    assertThat(twoAnHour.tryAcquire("k").remaining()).isEqualTo(4);
    assertThat(oneAnHour.tryAcquire("k").remaining()).isEqualTo(3);
  }

  @Test
  void publishesWhatItGrantedAndRefused() {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 2));

    limiter.tryAcquire("k", 2);
    Result refused = limiter.tryAcquire("k");

    assertThat(events).hasSize(2);
    assertThat(events.get(0))
        .isInstanceOfSatisfying(
            RedisRateLimiterEvent.Acquired.class,
            e -> {
              assertThat(e.source()).isEqualTo("api");
              assertThat(e.key()).isEqualTo("k");
              assertThat(e.permits()).isEqualTo(2);
              assertThat(e.remaining()).isZero();
            });
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            RedisRateLimiterEvent.Rejected.class,
            e -> {
              assertThat(e.permits()).isEqualTo(1);
              assertThat(e.retryAfterNanos()).isEqualTo(refused.retryAfterNanos());
            });
  }

  @Test
  void closingLeavesTheCallersConnectionOpen() {
    RedisRateLimiter limiter = limiter(config(1, HOUR, 2));

    limiter.close();

    assertThatThrownBy(() -> limiter.tryAcquire("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("redis rate limiter 'api' is closed");
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void aLimiterThatConnectsItselfWorksAndClosesItsConnection() {
    int clientsBefore = clients();
    try (RedisRateLimiter limiter =
        RedisRateLimiter.connect("own", RedisURI.create(redis.uri()), config(1, HOUR, 2))) {
      assertThat(limiter.tryAcquire("k").remaining()).isEqualTo(1);
      assertThat(clients()).isEqualTo(clientsBefore + 1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> clients() == clientsBefore);
  }

  /** Connections the server has, counting the one that asks. */
  private static int clients() {
    return (int) redis.call("CLIENT", "LIST").toString().lines().count();
  }

  private RedisRateLimiter limiter(RedisRateLimiterConfig config) {
    RedisRateLimiter limiter = RedisRateLimiter.create("api", connection, config);
    limiter.events().onEvent(events::add);
    return limiter;
  }

  /**
   * A generous timeout: these tests are about Redis' answers, and Netty's paranoid leak detection
   * is slow.
   */
  private static RedisRateLimiterConfig config(int rate, Duration period, int burst) {
    RateLimiterConfig bucket =
        RateLimiterConfig.builder()
            .rate(rate)
            .period(period)
            .burst(burst)
            .eventBus(new EventBus())
            .build();
    return RedisRateLimiterConfig.builder()
        .limit(bucket)
        .keyPrefix("test:")
        .commandTimeout(Duration.ofSeconds(20))
        .failureMode(FailureMode.THROW)
        .build();
  }

  private static int tokens(long nanos, int rate, Duration period) {
    return Math.toIntExact(nanos * rate / period.toNanos());
  }
}
