package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.CircuitBreakerCalls.Mode;
import dev.switchboard.resilience.CircuitBreakerEvent.StateTransition;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tripping, waiting and recovering; every scenario runs blocking and async. */
class CircuitBreakerTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreakerConfig.Builder config() {
    return CircuitBreakerConfig.builder()
        .ticker(ticker)
        .eventBus(new EventBus())
        .slidingWindowSize(10)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .permittedCallsInHalfOpenState(2);
  }

  /** The breaker of the last {@link #fixture}. */
  private CircuitBreaker callsBreaker;

  private CircuitBreakerCalls open(Mode mode) throws Exception {
    CircuitBreakerCalls calls = fixture(config().build(), mode);
    for (int i = 0; i < 4; i++) {
      calls.fail();
    }
    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);
    return calls;
  }

  private CircuitBreakerCalls fixture(CircuitBreakerConfig config, Mode mode) {
    callsBreaker = CircuitBreaker.of("backend", config);
    return new CircuitBreakerCalls(callsBreaker, mode, ticker);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void staysClosedUntilTheMinimumNumberOfCallsThenTripsAtTheFailureRate(Mode mode)
      throws Exception {
    CircuitBreakerCalls calls = fixture(config().build(), mode);
    calls.succeed();
    calls.fail();
    calls.fail();
    assertThat(callsBreaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(callsBreaker.metrics().failureRate()).isEmpty();

    calls.succeed();

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(calls.events(StateTransition.class))
        .containsExactly(
            new StateTransition("backend", ticker.nanos(), CircuitState.CLOSED, CircuitState.OPEN));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tripsOnConsecutiveFailuresWhateverTheRate(Mode mode) throws Exception {
    CircuitBreakerCalls calls =
        fixture(config().minimumNumberOfCalls(100).consecutiveFailureThreshold(3).build(), mode);
    calls.fail();
    calls.fail();
    calls.succeed();
    calls.fail();
    calls.fail();
    assertThat(callsBreaker.state()).isEqualTo(CircuitState.CLOSED);

    calls.fail();

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tripsOnTheSlowCallRate(Mode mode) throws Exception {
    CircuitBreakerCalls calls =
        fixture(
            config()
                .minimumNumberOfCalls(2)
                .slowCallRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .build(),
            mode);
    calls.returning("fast", Duration.ofMillis(999));
    calls.returning("slow", Duration.ofSeconds(1));

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(callsBreaker.metrics().slowCallRate()).hasValue(50.0);
    assertThat(callsBreaker.metrics().failedCalls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void openRefusesCallsWithoutRunningThemUntilTheWaitIsOver(Mode mode) throws Exception {
    CircuitBreakerCalls calls = open(mode);
    boolean[] ran = {false};

    assertThatThrownBy(() -> calls.run(() -> ran[0] = true))
        .isInstanceOfSatisfying(
            CallNotPermittedException.class,
            e -> {
              assertThat(e.state()).isEqualTo(CircuitState.OPEN);
              assertThat(e.reason()).isEqualTo(FailureReason.CIRCUIT_OPEN);
              assertThat(e.patternName()).isEqualTo("backend");
            });
    assertThat(ran[0]).isFalse();
    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);

    ticker.advanceNanos(1);

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(callsBreaker.metrics().notPermittedCalls()).isEqualTo(1);
    assertThat(calls.events(CircuitBreakerEvent.NotPermitted.class)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void halfOpenClosesWhenTheTrialCallsSucceed(Mode mode) throws Exception {
    CircuitBreakerCalls calls = open(mode);
    ticker.advance(Duration.ofSeconds(10));

    calls.succeed();
    assertThat(callsBreaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    calls.succeed();

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(callsBreaker.metrics().bufferedCalls()).isZero();
    assertThat(calls.events(StateTransition.class))
        .extracting(StateTransition::to)
        .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void halfOpenOpensAgainWhenTheTrialCallsFail(Mode mode) throws Exception {
    CircuitBreakerCalls calls = open(mode);
    ticker.advance(Duration.ofSeconds(10));

    calls.succeed();
    calls.fail();

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(calls.failWith(new IOException())).isInstanceOf(CallNotPermittedException.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void halfOpenAdmitsOnlyThePermittedTrialCalls(Mode mode) throws Exception {
    CircuitBreakerCalls calls = open(mode);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(callsBreaker.tryAcquirePermission()).isTrue();
    assertThat(callsBreaker.tryAcquirePermission()).isTrue();

    assertThatThrownBy(calls::succeed)
        .isInstanceOfSatisfying(
            CallNotPermittedException.class,
            e -> assertThat(e.state()).isEqualTo(CircuitState.HALF_OPEN));
    callsBreaker.releasePermission();
    assertThat(calls.succeed()).isEqualTo("ok");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTrialCallThatNeverReportsCannotKeepItHalfOpen(Mode mode) throws Exception {
    CircuitBreakerCalls calls =
        fixture(config().maxWaitInHalfOpenState(Duration.ofSeconds(30)).build(), mode);
    for (int i = 0; i < 4; i++) {
      calls.fail();
    }
    ticker.advance(Duration.ofSeconds(10));
    assertThat(callsBreaker.tryAcquirePermission()).isTrue();
    calls.succeed();
    ticker.advance(Duration.ofSeconds(30));

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);
    ticker.advance(Duration.ofSeconds(10));
    calls.succeed();
    calls.succeed();
    assertThat(callsBreaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void onlyHandledExceptionsCountAsFailures(Mode mode) throws Exception {
    ExceptionHandling handling = ExceptionHandling.builder().handle(IOException.class).build();
    CircuitBreakerCalls calls = fixture(config().exceptionHandling(handling).build(), mode);
    IllegalStateException ignored = new IllegalStateException("a caller's bug");

    for (int i = 0; i < 4; i++) {
      assertThat(calls.failWith(ignored)).isSameAs(ignored);
    }

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(callsBreaker.metrics().failedCalls()).isZero();
    assertThat(calls.events(CircuitBreakerEvent.Success.class)).hasSize(4);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aResultMatchingThePredicateCountsAsAFailureAndIsStillReturned(Mode mode) throws Exception {
    CircuitBreakerCalls calls = fixture(config().failureResult("error"::equals).build(), mode);

    for (int i = 0; i < 4; i++) {
      assertThat(calls.returning("error", Duration.ofMillis(5))).isEqualTo("error");
    }

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(calls.events(CircuitBreakerEvent.Failure.class))
        .first()
        .isEqualTo(
            new CircuitBreakerEvent.Failure(
                "backend",
                ticker.nanos() - Duration.ofMillis(15).toNanos(),
                Duration.ofMillis(5).toNanos(),
                java.util.Optional.empty()));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRefusalGoesThroughTheExceptionHandling(Mode mode) throws Exception {
    java.util.List<ExceptionContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExceptionHandling handling =
        ExceptionHandling.builder()
            .onException(seen::add)
            .transform(
                context ->
                    context.reason() == FailureReason.CIRCUIT_OPEN
                        ? new IllegalStateException("unavailable")
                        : new RuntimeException())
            .build();
    CircuitBreakerCalls calls = fixture(config().exceptionHandling(handling).build(), mode);
    for (int i = 0; i < 4; i++) {
      assertThat(calls.fail()).isInstanceOf(IOException.class);
    }

    assertThat(calls.failWith(new IOException()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("unavailable");
    assertThat(seen)
        .extracting(ExceptionContext::reason)
        .containsExactly(
            FailureReason.CALL_FAILED,
            FailureReason.CALL_FAILED,
            FailureReason.CALL_FAILED,
            FailureReason.THRESHOLD_EXCEEDED,
            FailureReason.CIRCUIT_OPEN);
    assertThat(seen.get(4).metadata())
        .containsEntry("state", CircuitState.OPEN)
        .containsEntry("failedCalls", 4)
        .containsEntry("failureRate", 100.0);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void forceOpenRefusesEverythingUntilReset(Mode mode) throws Exception {
    CircuitBreakerCalls calls = fixture(config().build(), mode);
    callsBreaker.forceOpen();
    ticker.advance(Duration.ofDays(1));

    assertThat(calls.fail())
        .isInstanceOfSatisfying(
            CallNotPermittedException.class,
            e -> assertThat(e.state()).isEqualTo(CircuitState.FORCED_OPEN));
    callsBreaker.reset();
    assertThat(calls.succeed()).isEqualTo("ok");
    assertThat(calls.events(CircuitBreakerEvent.Reset.class)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disabledPermitsEveryCallRecordsItAndNeverTrips(Mode mode) throws Exception {
    CircuitBreakerCalls calls = fixture(config().consecutiveFailureThreshold(1).build(), mode);
    callsBreaker.disable();

    for (int i = 0; i < 20; i++) {
      assertThat(calls.fail()).isInstanceOf(IOException.class);
    }

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.DISABLED);
    assertThat(callsBreaker.metrics().failedCalls()).isEqualTo(10);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void resetClosesAndEmptiesTheWindow(Mode mode) throws Exception {
    CircuitBreakerCalls calls = open(mode);

    callsBreaker.reset();

    assertThat(callsBreaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(callsBreaker.metrics().bufferedCalls()).isZero();
    assertThat(calls.events(StateTransition.class))
        .last()
        .isEqualTo(
            new StateTransition("backend", ticker.nanos(), CircuitState.OPEN, CircuitState.CLOSED));
  }
}
