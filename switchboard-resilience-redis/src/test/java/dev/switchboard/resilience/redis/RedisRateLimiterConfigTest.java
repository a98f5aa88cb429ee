package dev.switchboard.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.RateLimiterConfig;
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
  void theBucketIsTheLocalLimitersConfig() {
    RateLimiterConfig bucket =
        RateLimiterConfig.builder().rate(7).period(Duration.ofMinutes(1)).build();
    RedisRateLimiterConfig config = RedisRateLimiterConfig.builder().limit(bucket).build();

    assertThat(config.limit()).isSameAs(bucket);
    assertThat(config.rate()).isEqualTo(7);
    assertThat(config.burst()).isEqualTo(7);
    assertThat(config.period()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void toBuilderKeepsEverySetting() {
    RedisRateLimiterConfig config =
        RedisRateLimiterConfig.builder()
            .limit(bucket(3, Duration.ofMinutes(1), 9))
            .keyPrefix("p:")
            .failureMode(FailureMode.CLOSED)
            .commandTimeout(Duration.ofSeconds(2))
            .build();

    assertThat(config.toBuilder().build()).hasToString(config.toString());
  }

  private static RateLimiterConfig bucket(int rate, Duration period, int burst) {
    return RateLimiterConfig.builder().rate(rate).period(period).burst(burst).build();
  }

  @Test
  void rejectsEachBadSettingNamingItsValueAndLimit() {
    assertRejected(
        b -> b.limit(bucket(1, Duration.ofNanos(1500), 1)),
        "period must be whole microseconds (the Redis clock's resolution), got PT0.0000015S");
    assertRejected(
        b -> b.limit(bucket(1, Duration.ofDays(365 * 200), 1000)),
        "burst * period must be at most 2^53 microseconds (285 years), got 1000 * PT1752000H");
    assertRejected(b -> b.keyPrefix(""), "keyPrefix must not be empty, got \"\"");
    assertRejected(
        b -> b.commandTimeout(Duration.ZERO),
        "commandTimeout must be between PT0.001S and PT1M, got PT0S");
    assertRejected(
        b -> b.commandTimeout(Duration.ofMinutes(2)),
        "commandTimeout must be between PT0.001S and PT1M, got PT2M");
  }

  @Test
  void acceptsTheLargestExactBucket() {
    long maxMicros = RedisRateLimiterConfig.MAX_EXACT;

    RedisRateLimiterConfig config =
        RedisRateLimiterConfig.builder()
            .limit(bucket(1, Duration.ofNanos(maxMicros * 1000), 1))
            .build();

    assertThat(config.periodMicros()).isEqualTo(maxMicros);
  }

  @Test
  void nullSettingsAreRejectedByName() {
    RedisRateLimiterConfig.Builder builder = RedisRateLimiterConfig.builder();

    assertThatThrownBy(() -> builder.limit(null)).hasMessage("limit");
    assertThatThrownBy(() -> builder.keyPrefix(null)).hasMessage("keyPrefix");
    assertThatThrownBy(() -> builder.failureMode(null)).hasMessage("failureMode");
    assertThatThrownBy(() -> builder.commandTimeout(null)).hasMessage("commandTimeout");
  }

  private static void assertRejected(
      UnaryOperator<RedisRateLimiterConfig.Builder> setting, String message) {
    assertThatThrownBy(() -> setting.apply(RedisRateLimiterConfig.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
