package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BulkheadConfigTest {

  @Property
  void anyInvalidValueIsRefusedNamingTheSettingAndValidOnesBuild(
      @ForAll @IntRange(min = -3, max = 10_000) int maxConcurrentCalls,
      @ForAll @IntRange(min = -3, max = 10_000) int maxWaitingCalls,
      @ForAll @IntRange(min = -3, max = 10_000) int maxWaitMillis) {
    BulkheadConfig.Builder builder =
        BulkheadConfig.builder()
            .maxConcurrentCalls(maxConcurrentCalls)
            .maxWaitingCalls(maxWaitingCalls)
            .maxWait(Duration.ofMillis(maxWaitMillis));
    if (maxConcurrentCalls < 1) {
      assertThatThrownBy(builder::build)
          .hasMessage("maxConcurrentCalls must be at least 1, got " + maxConcurrentCalls);
    } else if (maxWaitingCalls < 0) {
      assertThatThrownBy(builder::build)
          .hasMessage("maxWaitingCalls must be at least 0, got " + maxWaitingCalls);
    } else if (maxWaitMillis < 0) {
      assertThatThrownBy(builder::build)
          .hasMessageStartingWith("maxWait must not be negative, got ");
    } else {
      BulkheadConfig config = builder.build();
      assertThat(config.maxConcurrentCalls()).isEqualTo(maxConcurrentCalls);
      assertThat(config.maxWaitingCalls()).isEqualTo(maxWaitingCalls);
      assertThat(config.maxWait()).isEqualTo(Duration.ofMillis(maxWaitMillis));
      assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    }
  }

  @Test
  void defaultsAreTwentyFiveCallsAndNoWaiting() {
    BulkheadConfig config = BulkheadConfig.defaults();
    assertThat(config.maxConcurrentCalls()).isEqualTo(25);
    assertThat(config.maxWaitingCalls()).isEqualTo(100);
    assertThat(config.maxWait()).isZero();
    assertThat(config.ticker()).isSameAs(Ticker.SYSTEM);
  }
}
