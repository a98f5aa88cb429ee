package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TimeoutConfigTest {

  @Test
  void defaultsAreOneSecondAndCancelling() {
    assertThat(TimeoutConfig.defaults().timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(TimeoutConfig.defaults().cancelRunningFuture()).isTrue();
  }

  @Property
  void aTimeoutThatIsNotPositiveIsRejectedNamingTheSetting(
      @ForAll @LongRange(min = -1_000_000, max = 0) long ms) {
    assertThatThrownBy(() -> TimeoutConfig.builder().timeout(Duration.ofMillis(ms)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, got " + Duration.ofMillis(ms));
  }

  @Property
  void aPositiveTimeoutBuilds(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long nanos) {
    assertThat(TimeoutConfig.builder().timeout(Duration.ofNanos(nanos)).build().timeout())
        .isEqualTo(Duration.ofNanos(nanos));
  }
}
