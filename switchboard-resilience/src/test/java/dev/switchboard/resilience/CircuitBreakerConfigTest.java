package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Every invalid setting is rejected by name with its value; every valid combination builds. */
class CircuitBreakerConfigTest {

  record Invalid(
      String setting, Object value, BiConsumer<CircuitBreakerConfig.Builder, Object> apply) {
    @Override
    public String toString() {
      return setting + "=" + value;
    }
  }

  @Test
  void defaultsAreDocumented() {
    CircuitBreakerConfig config = CircuitBreakerConfig.defaults();
    assertThat(config.failureRateThreshold()).isEqualTo(50);
    assertThat(config.slowCallRateThreshold()).isEqualTo(100);
    assertThat(config.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.consecutiveFailureThreshold()).isZero();
    assertThat(config.slidingWindowType()).isEqualTo(SlidingWindowType.COUNT_BASED);
    assertThat(config.slidingWindowSize()).isEqualTo(100);
    assertThat(config.minimumNumberOfCalls()).isEqualTo(100);
    assertThat(config.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.openWaitJitter()).isZero();
    assertThat(config.permittedCallsInHalfOpenState()).isEqualTo(10);
    assertThat(config.maxWaitInHalfOpenState()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.failureResult().test("anything")).isFalse();
    assertThat(config.ticker()).isSameAs(Ticker.SYSTEM);
    assertThat(config.eventBus()).isSameAs(EventBus.global());
  }

  @Property(tries = 500)
  void anInvalidValueIsRejectedNamingTheSettingAndTheValue(@ForAll("invalid") Invalid invalid) {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder();
    invalid.apply().accept(builder, invalid.value());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(invalid.setting() + " must be")
        .hasMessageEndingWith(", got " + invalid.value());
  }

  @Property(tries = 300)
  void validValuesBuild(
      @ForAll @DoubleRange(min = 0.01, max = 100) double failureRate,
      @ForAll @DoubleRange(min = 0.01, max = 100) double slowRate,
      @ForAll @IntRange(min = 0) int consecutive,
      @ForAll @IntRange(min = 1, max = CircuitBreakerConfig.MAX_SIZE) int windowSize,
      @ForAll @IntRange(min = 1) int minimumCalls,
      @ForAll @DoubleRange(min = 0, max = 1) double jitter,
      @ForAll @IntRange(min = 1, max = CircuitBreakerConfig.MAX_SIZE) int trials,
      @ForAll @IntRange(min = 1) int millis) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .failureRateThreshold(failureRate)
            .slowCallRateThreshold(slowRate)
            .consecutiveFailureThreshold(consecutive)
            .slidingWindowSize(windowSize)
            .minimumNumberOfCalls(minimumCalls)
            .openWaitJitter(jitter)
            .permittedCallsInHalfOpenState(trials)
            .waitDurationInOpenState(Duration.ofMillis(millis))
            .maxWaitInHalfOpenState(Duration.ofMillis(millis))
            .slowCallDurationThreshold(Duration.ofMillis(millis))
            .build();

    assertThat(config.slidingWindowSize()).isEqualTo(windowSize);
    assertThat(config.permittedCallsInHalfOpenState()).isEqualTo(trials);
  }

  @Provide
  Arbitrary<Invalid> invalid() {
    Arbitrary<Double> badPercent =
        Arbitraries.oneOf(
            Arbitraries.doubles().lessOrEqual(0),
            Arbitraries.doubles().greaterThan(100),
            Arbitraries.of(Double.NaN));
    Arbitrary<Integer> badSize =
        Arbitraries.oneOf(
            Arbitraries.integers().lessOrEqual(0),
            Arbitraries.integers().greaterOrEqual(CircuitBreakerConfig.MAX_SIZE + 1));
    Arbitrary<Duration> badDuration = Arbitraries.longs().lessOrEqual(0).map(Duration::ofNanos);
    return Arbitraries.oneOf(
        badPercent.map(
            v ->
                new Invalid(
                    "failureRateThreshold", v, (b, x) -> b.failureRateThreshold((Double) x))),
        badPercent.map(
            v ->
                new Invalid(
                    "slowCallRateThreshold", v, (b, x) -> b.slowCallRateThreshold((Double) x))),
        Arbitraries.integers()
            .lessOrEqual(-1)
            .map(
                v ->
                    new Invalid(
                        "consecutiveFailureThreshold",
                        v,
                        (b, x) -> b.consecutiveFailureThreshold((Integer) x))),
        badSize.map(
            v -> new Invalid("slidingWindowSize", v, (b, x) -> b.slidingWindowSize((Integer) x))),
        Arbitraries.integers()
            .lessOrEqual(0)
            .map(
                v ->
                    new Invalid(
                        "minimumNumberOfCalls", v, (b, x) -> b.minimumNumberOfCalls((Integer) x))),
        Arbitraries.oneOf(
                Arbitraries.doubles().lessThan(0),
                Arbitraries.doubles().greaterThan(1),
                Arbitraries.of(Double.NaN))
            .map(v -> new Invalid("openWaitJitter", v, (b, x) -> b.openWaitJitter((Double) x))),
        badSize.map(
            v ->
                new Invalid(
                    "permittedCallsInHalfOpenState",
                    v,
                    (b, x) -> b.permittedCallsInHalfOpenState((Integer) x))),
        badDuration.map(
            v ->
                new Invalid(
                    "slowCallDurationThreshold",
                    v,
                    (b, x) -> b.slowCallDurationThreshold((Duration) x))),
        badDuration.map(
            v ->
                new Invalid(
                    "waitDurationInOpenState",
                    v,
                    (b, x) -> b.waitDurationInOpenState((Duration) x))),
        badDuration.map(
            v ->
                new Invalid(
                    "maxWaitInHalfOpenState",
                    v,
                    (b, x) -> b.maxWaitInHalfOpenState((Duration) x))));
  }

  @Test
  void nullsAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().ticker(null)).hasMessage("ticker");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureResult(null))
        .hasMessage("failureResult");
    assertThatThrownBy(() -> CircuitBreaker.of(null, CircuitBreakerConfig.defaults()))
        .hasMessage("name");
  }
}
