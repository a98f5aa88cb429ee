package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.RateLimitStore;
import dev.switchboard.gateway.RateLimitStoreContract;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rate limit contract on Redis, two stores of one name standing for two nodes; and what a store
 * answers while Redis is away.
 */
class RedisRateLimitStoresTest extends RateLimitStoreContract {

  private static final String PREFIX = "ratelimit-test:";

  private static RedisServerProcess redis;
  private static RedisEngine engine;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
    engine = RedisEngine.connect(RedisSettings.of(redis.uri(), "node-a").withKeyPrefix(PREFIX));
  }

  @AfterAll
  static void stopRedis() {
    engine.close();
    redis.close();
  }

  @Override
  protected RateLimitStore store(String name, RateLimiterConfig limit) {
    return RedisRateLimitStores.factory(engine).create(name, limit);
  }

  @Override
  protected boolean sharedBetweenNodes() {
    return true;
  }

  /**
   * Redis' clock cannot be moved, so every bucket is moved back instead: its last refill ({@code
   * ts}, in microseconds) and its expiry, by {@code by}. A bucket whose expiry passes is deleted,
   * as Redis would have done.
   */
  @Override
  protected void advance(Duration by) {
    RedisCommands<String, String> redisCommands = engine.strings().sync();
    long micros = by.toNanos() / 1_000;
    ScanIterator<String> keys =
        ScanIterator.scan(redisCommands, ScanArgs.Builder.matches(engine.key("ratelimit") + ":*"));
    while (keys.hasNext()) {
      String key = keys.next();
      long ttl = redisCommands.pttl(key);
      if (ttl >= 0 && ttl <= by.toMillis()) {
        redisCommands.del(key);
      } else {
        redisCommands.hincrby(key, "ts", -micros);
        if (ttl > 0) {
          redisCommands.pexpire(key, ttl - by.toMillis());
        }
      }
    }
  }

  @Test
  void theBucketsOfALimitAreKeptUnderTheEnginesPrefixAndTheLimitsName() throws Exception {
    store("http-api", RateLimiterConfig.defaults())
        .tryAcquire("ip:10.0.0.1")
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertThat(engine.strings().sync().exists(PREFIX + "ratelimit:http-api:ip:10.0.0.1")).isOne();
  }

  @Test
  void whileRedisIsAwayEveryRequestIsGranted() throws Exception {
    try (RedisServerProcess own = RedisServerProcess.start();
        RedisEngine away =
            RedisEngine.connect(
                RedisSettings.of(own.uri(), "node-a").withCommandTimeout(Duration.ofMillis(500)))) {
      RateLimiterConfig oneToken =
          RateLimiterConfig.builder().rate(1).period(Duration.ofHours(1)).burst(1).build();
      RateLimitStore store = RedisRateLimitStores.factory(away).create("upgrades", oneToken);
      assertThat(take(store).granted()).isTrue();
      assertThat(take(store).granted()).as("Redis up: the one token is taken").isFalse();

      own.stop();

      for (int i = 0; i < 6; i++) {
        RateLimiter.Result result = take(store);
        assertThat(result.granted()).isTrue();
        assertThat(result.remaining()).isZero();
      }
      // The checks went through the engine's breaker: it opened, and checks now grant unsent.
      assertThat(away.breaker().state()).isEqualTo(dev.switchboard.resilience.CircuitState.OPEN);
      assertThat(take(store).granted()).isTrue();
    }
  }

  private static RateLimiter.Result take(RateLimitStore store) throws Exception {
    return store.tryAcquire("10.0.0.9").toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
