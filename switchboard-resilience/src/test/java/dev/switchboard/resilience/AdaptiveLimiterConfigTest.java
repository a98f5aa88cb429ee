package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class AdaptiveLimiterConfigTest {

  @Property
  void limitsInOrderBuildAndAnyOtherOrderIsRefusedNamingTheSetting(
      @ForAll @IntRange(min = -5, max = 50) int min,
      @ForAll @IntRange(min = -5, max = 50) int initial,
      @ForAll @IntRange(min = -5, max = 50) int max) {
    boolean valid = min >= 1 && initial >= 1 && max >= 1 && min <= initial && initial <= max;
    if (valid) {
      AdaptiveLimiterConfig config =
          AdaptiveLimiterConfig.builder().minLimit(min).initialLimit(initial).maxLimit(max).build();
      assertThat(config.initialLimit()).isEqualTo(initial);
    } else {
      assertThatThrownBy(
              () ->
                  AdaptiveLimiterConfig.builder()
                      .minLimit(min)
                      .initialLimit(initial)
                      .maxLimit(max)
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching(".*(minLimit|initialLimit|maxLimit) must be .*, got -?\\d+");
    }
  }

  @Property
  void theBackoffRatioMustLieStrictlyBetweenZeroAndOne(@ForAll double ratio) {
    Assume.that(!Double.isNaN(ratio));
    if (ratio > 0 && ratio < 1) {
      assertThat(AdaptiveLimiterConfig.builder().backoffRatio(ratio).build().backoffRatio())
          .isEqualTo(ratio);
    } else {
      assertThatThrownBy(() -> AdaptiveLimiterConfig.builder().backoffRatio(ratio))
          .hasMessageStartingWith("backoffRatio must be between 0 and 1");
    }
  }
}
