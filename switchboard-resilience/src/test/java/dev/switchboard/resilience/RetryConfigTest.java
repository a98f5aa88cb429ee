package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RetryConfigTest {

  @Test
  void defaultsAreThreeAttemptsWithExponentialBackoffAndNoDurationLimit() {
    RetryConfig config = RetryConfig.defaults();
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.maxDuration()).isEmpty();
    assertThat(config.backoff().delay(1, config.random())).isEqualTo(Duration.ofMillis(100));
    assertThat(config.backoff().delay(2, config.random())).isEqualTo(Duration.ofMillis(200));
    assertThat(config.retryOnResult().test("anything")).isFalse();
    assertThat(config.eventBus()).isSameAs(EventBus.global());
  }

  @Property
  void maxAttemptsBelowOneIsRejectedNamingTheSetting(
      @ForAll @IntRange(min = Integer.MIN_VALUE, max = 0) int value) {
    assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(value).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be at least 1, got " + value);
  }

  @Property
  void aMaxDurationThatIsNotPositiveIsRejected(
      @ForAll @LongRange(min = -1_000_000, max = 0) long millis) {
    assertThatThrownBy(() -> RetryConfig.builder().maxDuration(Duration.ofMillis(millis)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxDuration must be positive, got ");
  }

  @Property
  void validSettingsBuild(
      @ForAll @IntRange(min = 1, max = 10_000) int attempts,
      @ForAll @LongRange(min = 1, max = 86_400_000) long maxMillis) {
    RetryConfig config =
        RetryConfig.builder()
            .maxAttempts(attempts)
            .maxDuration(Duration.ofMillis(maxMillis))
            .build();
    assertThat(config.maxAttempts()).isEqualTo(attempts);
    assertThat(config.maxDuration()).contains(Duration.ofMillis(maxMillis));
  }
}
