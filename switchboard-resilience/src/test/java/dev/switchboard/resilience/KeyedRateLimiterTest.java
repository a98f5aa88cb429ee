package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {

  private final ManualTicker ticker = new ManualTicker();

  private KeyedRateLimiter<String> limiter(int maxKeys, Duration idleAfter) {
    RateLimiterConfig perKey =
        RateLimiterConfig.builder()
            .rate(1)
            .burst(2)
            .ticker(ticker)
            .eventBus(new EventBus())
            .build();
    return KeyedRateLimiter.of(
        "per-ip",
        KeyedRateLimiterConfig.builder()
            .limiter(perKey)
            .maxKeys(maxKeys)
            .idleAfter(idleAfter)
            .build());
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    KeyedRateLimiter<String> limiter = limiter(10, Duration.ofMinutes(10));
    assertThat(limiter.tryAcquire("a", 2).granted()).isTrue();
    assertThat(limiter.tryAcquire("a").granted()).isFalse();
    assertThat(limiter.tryAcquire("b").granted()).isTrue();
    assertThat(limiter.size()).isEqualTo(2);
    assertThat(limiter.limiter("a").name()).isEqualTo("per-ip[a]");
    assertThat(limiter.limiter("a")).isSameAs(limiter.limiter("a"));
  }

  @Test
  void beyondMaxKeysTheLeastRecentlyUsedKeyIsDropped() {
    KeyedRateLimiter<String> limiter = limiter(2, Duration.ofMinutes(10));
    limiter.tryAcquire("a", 2);
    limiter.tryAcquire("b", 2);
    limiter.tryAcquire("a"); // a is now more recent than b
    limiter.tryAcquire("c");
    assertThat(limiter.size()).isEqualTo(2);
    assertThat(limiter.tryAcquire("a").granted()).as("a kept its empty bucket").isFalse();
    assertThat(limiter.tryAcquire("b", 2).granted()).as("b was dropped and starts full").isTrue();
  }

  @Test
  void aKeyUntouchedForIdleAfterIsDroppedOnALaterAccess() {
    KeyedRateLimiter<String> limiter = limiter(100, Duration.ofMinutes(10));
    limiter.tryAcquire("old");
    ticker.advance(Duration.ofMinutes(5));
    limiter.tryAcquire("recent");
    ticker.advance(Duration.ofMinutes(5));
    limiter.tryAcquire("new");
    assertThat(limiter.size()).as("old dropped, recent and new kept").isEqualTo(2);
    ticker.advance(Duration.ofMinutes(10));
    limiter.tryAcquire("newest");
    assertThat(limiter.size()).isEqualTo(1);
  }

  @Test
  void aNullKeyIsRefused() {
    assertThatThrownBy(() -> limiter(1, Duration.ofSeconds(1)).tryAcquire(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key");
  }

  @Test
  void defaultsKeepTenThousandKeysForTenMinutes() {
    assertThat(KeyedRateLimiterConfig.defaults().maxKeys()).isEqualTo(10_000);
    assertThat(KeyedRateLimiterConfig.defaults().idleAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(KeyedRateLimiterConfig.defaults().limiter()).isSameAs(RateLimiterConfig.defaults());
  }

  @Property
  void configRefusesInvalidValuesNamingTheSetting(
      @ForAll @IntRange(min = -3, max = 100) int maxKeys,
      @ForAll @IntRange(min = -3, max = 100) int idleSeconds) {
    KeyedRateLimiterConfig.Builder builder =
        KeyedRateLimiterConfig.builder()
            .maxKeys(maxKeys)
            .idleAfter(Duration.ofSeconds(idleSeconds));
    if (maxKeys < 1) {
      assertThatThrownBy(builder::build).hasMessage("maxKeys must be at least 1, got " + maxKeys);
    } else if (idleSeconds < 1) {
      assertThatThrownBy(builder::build).hasMessageStartingWith("idleAfter must be positive, got ");
    } else {
      assertThat(builder.build().maxKeys()).isEqualTo(maxKeys);
    }
  }
}
