package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FallbackConfigTest {

  @Test
  void aFallbackWithoutAnyStepIsRejected() {
    assertThatThrownBy(() -> FallbackConfig.<String>builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fallbacks must be at least 1, got 0");
  }

  @Test
  void aNullValueIsRejectedNamingIt() {
    assertThatThrownBy(() -> FallbackConfig.<String>builder().value(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
  }

  @Property
  void anyNumberOfStepsBuildsInOrder(@ForAll @IntRange(min = 1, max = 50) int steps) {
    FallbackConfig.Builder<Integer> builder = FallbackConfig.builder();
    for (int i = 0; i < steps; i++) {
      builder.value(i);
    }
    FallbackConfig<Integer> config = builder.build();
    assertThat(config.steps()).hasSize(steps);
    assertThat(config.steps().getLast().apply(new RuntimeException())).isEqualTo(steps - 1);
  }
}
