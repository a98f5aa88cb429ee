package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimitStore} does, wherever its buckets are: a new key starts full, a burst
 * is granted and the next request refused with when to retry, a refusal takes nothing, tokens come
 * back at the rate, keys and limits do not share buckets.
 *
 * <p>The limits are 2 tokens a minute with a burst of 3 (a token every 30 s), so that time passing
 * while a test runs never adds a token; time moves only through {@link #advance}, which moves the
 * suite's clock, the ticker of every limit handed to {@link #store}. Every wait for an answer is
 * bounded; nothing sleeps.
 */
public abstract class RateLimitStoreContract {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final long ANSWER_SECONDS = 10;
  private static final Duration TOKEN = Duration.ofSeconds(30);

  /** The time of every limit this suite makes: see {@link #advance}. */
  private final MutableClock clock = new MutableClock(START);

  /**
   * The store of a limit named {@code name} on one node, every key getting {@code limit}. Called
   * with a fresh name in each test; a second call with the same name stands for another node.
   */
  protected abstract RateLimitStore store(String name, RateLimiterConfig limit);

  /**
   * Whether two stores made by {@link #store} with one name share their buckets, as the nodes of a
   * cluster do: false when each is a process of its own, as {@link RateLimitStore#inMemory} is.
   */
  protected abstract boolean sharedBetweenNodes();

  /**
   * Lets {@code by} pass for the buckets: moves the ticker of the limits handed to {@link #store}.
   * An engine timed by its server's clock instead (Redis's {@code TIME}) overrides this to let that
   * time pass.
   */
  protected void advance(Duration by) throws Exception {
    clock.advance(by);
  }

  private final String name = "contract-" + UUID.randomUUID();

  private RateLimiterConfig limit() {
    return RateLimiterConfig.builder()
        .rate(2)
        .period(Duration.ofMinutes(1))
        .burst(3)
        .ticker(() -> Duration.between(START, clock.instant()).toNanos())
        .build();
  }

  private RateLimitStore store() {
    return store(name, limit());
  }

  private static RateLimiter.Result take(RateLimitStore store, String key) throws Exception {
    return store.tryAcquire(key).toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
  }

  private static boolean granted(RateLimitStore store, String key) throws Exception {
    return take(store, key).granted();
  }

  @Test
  void aKeySeenForTheFirstTimeHasAFullBucket() throws Exception {
    RateLimiter.Result first = take(store(), "10.0.0.1");

    assertThat(first.granted()).isTrue();
    assertThat(first.remaining()).isEqualTo(2);
    assertThat(first.retryAfterNanos()).isZero();
  }

  @Test
  void theBurstIsGrantedThenTheNextRequestIsToldWhenToRetry() throws Exception {
    RateLimitStore store = store();

    assertThat(take(store, "k").remaining()).isEqualTo(2);
    assertThat(take(store, "k").remaining()).isOne();
    assertThat(take(store, "k").remaining()).isZero();
    RateLimiter.Result refused = take(store, "k");

    assertThat(refused.granted()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterNanos()).isPositive().isLessThanOrEqualTo(TOKEN.toNanos());
    assertThat(refused.nanosUntilNextToken()).isPositive().isLessThanOrEqualTo(TOKEN.toNanos());
  }

  @Test
  void aRefusalTakesNothing() throws Exception {
    RateLimitStore store = store();
    for (int i = 0; i < 3; i++) {
      take(store, "k");
    }
    for (int i = 0; i < 5; i++) {
      assertThat(granted(store, "k")).isFalse();
    }

    advance(TOKEN);

    assertThat(granted(store, "k")).isTrue();
    assertThat(granted(store, "k")).isFalse();
  }

  @Test
  void tokensComeBackAtTheRate() throws Exception {
    RateLimitStore store = store();
    for (int i = 0; i < 3; i++) {
      take(store, "k");
    }

    advance(TOKEN.multipliedBy(2));

    assertThat(granted(store, "k")).isTrue();
    assertThat(granted(store, "k")).isTrue();
    assertThat(granted(store, "k")).isFalse();
  }

  @Test
  void anIdleBucketHoldsNoMoreThanItsBurst() throws Exception {
    RateLimitStore store = store();
    take(store, "k");

    advance(Duration.ofHours(1));

    assertThat(take(store, "k").remaining()).isEqualTo(2);
    assertThat(granted(store, "k")).isTrue();
    assertThat(granted(store, "k")).isTrue();
    assertThat(granted(store, "k")).isFalse();
  }

  @Test
  void theAnswerSaysWhenTheBucketIsFullAgain() throws Exception {
    RateLimitStore store = store();

    RateLimiter.Result one = take(store, "k");
    take(store, "k");
    RateLimiter.Result all = take(store, "k");

    assertThat(one.nanosUntilFull()).isPositive().isLessThanOrEqualTo(TOKEN.toNanos());
    assertThat(all.nanosUntilFull())
        .isGreaterThan(TOKEN.multipliedBy(2).toNanos())
        .isLessThanOrEqualTo(TOKEN.multipliedBy(3).toNanos());
  }

  @Test
  void eachKeyHasABucketOfItsOwn() throws Exception {
    RateLimitStore store = store();
    for (int i = 0; i < 3; i++) {
      take(store, "ip:10.0.0.1");
    }

    assertThat(granted(store, "ip:10.0.0.1")).isFalse();
    assertThat(take(store, "ip:10.0.0.2").remaining()).isEqualTo(2);
  }

  @Test
  void limitsOfDifferentNamesDoNotShareBuckets() throws Exception {
    RateLimitStore http = store();
    RateLimitStore upgrades = store(name + "-other", limit());
    for (int i = 0; i < 3; i++) {
      take(http, "10.0.0.1");
    }

    assertThat(granted(http, "10.0.0.1")).isFalse();
    assertThat(take(upgrades, "10.0.0.1").remaining()).isEqualTo(2);
  }

  @Test
  void aStoreKnowsItsLimit() {
    RateLimiterConfig limit = store().limit();

    assertThat(limit.rate()).isEqualTo(2);
    assertThat(limit.period()).isEqualTo(Duration.ofMinutes(1));
    assertThat(limit.burst()).isEqualTo(3);
  }

  @Test
  void theNodesOfAClusterDrawOnOneBucketPerKey() throws Exception {
    assumeTrue(sharedBetweenNodes(), "each store is a process of its own");
    RateLimitStore here = store();
    RateLimitStore there = store();

    take(here, "k");
    take(there, "k");
    take(here, "k");

    assertThat(granted(there, "k")).isFalse();
    assertThat(granted(here, "other")).isTrue();
  }
}
