package dev.switchboard.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RedisRateLimiterConfigTest {

  @Test
  void defaultsAreFiftyASecondFailingOpenAfterAQuarterSecond() {
    RedisRateLimiterConfig config = RedisRateLimiterConfig.defaults();

    assertThat(config.rate()).isEqualTo(50);
    assertThat(config.period()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.burst()).isEqualTo(50);
    assertThat(config.keyPrefix()).isEqualTo("switchboard:ratelimit:");
    assertThat(config.failureMode()).isEqualTo(FailureMode.OPEN);
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void burstDefaultsToTheRate() {
    assertThat(RedisRateLimiterConfig.builder().rate(7).build().burst()).isEqualTo(7);
  }

  @Test
  void toBuilderKeepsEverySetting() {
    RedisRateLimiterConfig config = RedisRateLimiterConfig.builder().rate(3).period(Duration.ofMinutes(1))
        .burst(9).keyPrefix("p:").failureMode(FailureMode.CLOSED).commandTimeout(Duration.ofSeconds(2)).build();

    assertThat(config.toBuilder().build()).hasToString(config.toString());
  }

  @Test
  void rejectsEachBadSettingNamingItsValueAndLimit() {
    assertRejected(b -> b.rate(0), "rate must be at least 1, got 0");
    assertRejected(b -> b.period(Duration.ZERO), "period must be positive, got PT0S");
    assertRejected(b -> b.period(Duration.ofNanos(1500)),
        "period must be whole microseconds (the Redis clock's resolution), got PT0.0000015S");
    assertRejected(b -> b.burst(0), "burst must be at least 1, got 0");
    assertRejected(b -> b.burst(1000).period(Duration.ofDays(365 * 300)),
        "burst * period must be at most 2^53 microseconds (285 years), got 1000 * PT2628000H");
    assertRejected(b -> b.keyPrefix(""), "keyPrefix must not be empty, got \"\"");
    assertRejected(b -> b.commandTimeout(Duration.ZERO),
        "commandTimeout must be between PT0.001S and PT1M, got PT0S");
    assertRejected(b -> b.commandTimeout(Duration.ofMinutes(2)),
        "commandTimeout must be between PT0.001S and PT1M, got PT2M");
  }

  @Test
  void acceptsTheLargestExactBucket() {
    long maxMicros = RedisRateLimiterConfig.MAX_EXACT;

    RedisRateLimiterConfig config = RedisRateLimiterConfig.builder().rate(1).burst(1)
        .period(Duration.ofNanos(maxMicros * 1000)).build();

    assertThat(config.periodMicros()).isEqualTo(maxMicros);
  }

  @Test
  void nullSettingsAreRejectedByName() {
    RedisRateLimiterConfig.Builder builder = RedisRateLimiterConfig.builder();

    assertThatThrownBy(() -> builder.period(null)).hasMessage("period");
    assertThatThrownBy(() -> builder.keyPrefix(null)).hasMessage("keyPrefix");
    assertThatThrownBy(() -> builder.failureMode(null)).hasMessage("failureMode");
    assertThatThrownBy(() -> builder.commandTimeout(null)).hasMessage("commandTimeout");
  }

  private static void assertRejected(UnaryOperator<RedisRateLimiterConfig.Builder> setting, String message) {
    assertThatThrownBy(() -> setting.apply(RedisRateLimiterConfig.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
