package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RateLimiterConfigTest {

  @Property
  void anyInvalidValueIsRefusedNamingTheSettingAndValidOnesBuild(
      @ForAll @IntRange(min = -3, max = 1_000_000) int rate,
      @ForAll @LongRange(min = -3, max = 5_000_000_000L) long periodNanos,
      @ForAll @IntRange(min = -3, max = 1_000) int burst,
      @ForAll @LongRange(min = -3, max = 1_000) long timeoutMillis) {
    RateLimiterConfig.Builder builder =
        RateLimiterConfig.builder()
            .rate(rate)
            .period(Duration.ofNanos(periodNanos))
            .burst(burst)
            .timeout(Duration.ofMillis(timeoutMillis));
    if (rate < 1) {
      assertThatThrownBy(builder::build).hasMessage("rate must be at least 1, got " + rate);
    } else if (periodNanos < 1) {
      assertThatThrownBy(builder::build).hasMessageStartingWith("period must be positive, got ");
    } else if (burst < 1) {
      assertThatThrownBy(builder::build).hasMessage("burst must be at least 1, got " + burst);
    } else if (timeoutMillis < 0) {
      assertThatThrownBy(builder::build)
          .hasMessageStartingWith("timeout must not be negative, got ");
    } else {
      RateLimiterConfig config = builder.build();
      assertThat(config.rate()).isEqualTo(rate);
      assertThat(config.period()).isEqualTo(Duration.ofNanos(periodNanos));
      assertThat(config.burst()).isEqualTo(burst);
      assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    }
  }

  @Test
  void defaultsAreFiftyASecondWithAnEqualBurstAndNoWait() {
    RateLimiterConfig config = RateLimiterConfig.defaults();
    assertThat(config.rate()).isEqualTo(50);
    assertThat(config.period()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.burst()).isEqualTo(50);
    assertThat(config.timeout()).isZero();
    assertThat(config.ticker()).isSameAs(Ticker.SYSTEM);
    assertThat(config.eventBus()).isSameAs(EventBus.global());
    assertThat(RateLimiterConfig.builder().rate(7).build().burst()).isEqualTo(7);
  }

  @Test
  void aRateTimesPeriodBeyondALongIsRefused() {
    assertThatThrownBy(
            () ->
                RateLimiterConfig.builder()
                    .rate(Integer.MAX_VALUE)
                    .period(Duration.ofDays(365))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rate * period must be");
  }
}
