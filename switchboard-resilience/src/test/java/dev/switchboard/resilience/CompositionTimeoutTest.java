package dev.switchboard.resilience;

import static dev.switchboard.resilience.CompositionHarness.fail;
import static dev.switchboard.resilience.CompositionHarness.pending;
import static dev.switchboard.resilience.CompositionHarness.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.resilience.CompositionHarness.Mode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Timeout in a composed call: inside Retry and CircuitBreaker, so each attempt gets its own timeout
 * and the breaker records a timeout as a failure; outside Bulkhead, so a blocking attempt's wait
 * for a permit counts toward it.
 */
class CompositionTimeoutTest {

  private final CompositionHarness h = new CompositionHarness();
  private final Timeout timeout = h.timeout();

  @AfterEach
  void close() {
    h.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachAttemptGetsItsOwnTimeoutSoARetryAfterASlowAttemptSucceeds(Mode mode) throws Exception {
    List<TimeoutEvent> timeoutEvents = new CopyOnWriteArrayList<>();
    timeout.events().onEvent(timeoutEvents::add);
    List<RetryEvent> retryEvents = new CopyOnWriteArrayList<>();
    Retry retry = h.retry();
    retry.events().onEvent(retryEvents::add);

    Object outcome = h.run(mode, List.of(pending(), succeed("ok")), timeout, retry);

    assertThat(outcome).isEqualTo("ok");
    assertThat(h.invocations()).isEqualTo(2);
    assertThat(h.abandonedAttempts())
        .as("the slow attempt's work is interrupted or cancelled")
        .isEqualTo(1);
    assertThat(timeoutEvents)
        .extracting(Object::getClass)
        .containsExactly(TimeoutEvent.TimedOut.class, TimeoutEvent.Succeeded.class);
    assertThat(retryEvents)
        .first()
        .isInstanceOfSatisfying(
            RetryEvent.Retrying.class,
            r -> assertThat(r.cause()).get().isInstanceOf(TimeoutExceededException.class));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void whenEveryAttemptTimesOutTheCallerSeesTheRetryGivingUpOnTheTimeout(Mode mode)
      throws Exception {
    Object outcome = h.run(mode, List.of(pending()), h.retry(), timeout);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(TimeoutExceededException.class));
    assertThat(h.invocations()).isEqualTo(3);
    assertThat(h.abandonedAttempts()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTimedOutAttemptIsABreakerFailureSoTheBreakerCanOpenBeforeTheNextAttempt(Mode mode)
      throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of("breaker", h.breakerConfig().consecutiveFailureThreshold(1).build());
    List<CircuitBreakerEvent> breakerEvents = new CopyOnWriteArrayList<>();
    breaker.events().onEvent(breakerEvents::add);

    Object outcome =
        h.run(mode, List.of(pending(), succeed("never reached")), breaker, timeout, h.retry());

    assertThat(breakerEvents)
        .first()
        .isInstanceOfSatisfying(
            CircuitBreakerEvent.Failure.class,
            f -> assertThat(f.error()).get().isInstanceOf(TimeoutExceededException.class));
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(h.invocations()).as("later attempts are refused by the open breaker").isEqualTo(1);
    assertThat(outcome)
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CallNotPermittedException.class));
  }

  @Test
  void aBlockingAttemptsWaitForABulkheadPermitCountsTowardItsTimeout() throws Exception {
    // The bulkhead alone would let the caller wait a minute of a ticker that never moves: only the
    // timeout ends it.
    Bulkhead bulkhead =
        Bulkhead.of(
            "bulkhead",
            h.bulkheadConfig().maxConcurrentCalls(1).maxWait(Duration.ofMinutes(1)).build());
    assertThat(bulkhead.tryAcquire()).isTrue();

    Object outcome = h.run(Mode.BLOCKING, List.of(succeed("never reached")), bulkhead, timeout);

    assertThat(outcome).isInstanceOf(TimeoutExceededException.class);
    assertThat(h.invocations()).isZero();
    assertThat(bulkhead.waitingCallers()).as("the timed-out attempt stopped waiting").isZero();
    bulkhead.release();
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  @Test
  void anAsyncAttemptNeverWaitsForABulkheadPermitSoAFullBulkheadFailsItBeforeAnyTimeout()
      throws Exception {
    Bulkhead bulkhead =
        Bulkhead.of(
            "bulkhead",
            h.bulkheadConfig().maxConcurrentCalls(1).maxWait(Duration.ofMinutes(1)).build());
    assertThat(bulkhead.tryAcquire()).isTrue();

    Object outcome = h.run(Mode.ASYNC, List.of(succeed("never reached")), bulkhead, timeout);

    assertThat(outcome).isInstanceOf(BulkheadFullException.class);
    assertThat(h.timers.fired()).isZero();
    assertThat(h.timers.pending()).as("the attempt's timer was cancelled").isZero();
    assertThat(h.invocations()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theCallsOwnFailurePassesThroughTheTimeoutToTheRetry(Mode mode) throws Exception {
    List<TimeoutEvent> timeoutEvents = new CopyOnWriteArrayList<>();
    timeout.events().onEvent(timeoutEvents::add);

    Object outcome = h.run(mode, List.of(fail("down"), succeed("ok")), timeout, h.retry());

    assertThat(outcome).isEqualTo("ok");
    assertThat(timeoutEvents)
        .extracting(Object::getClass)
        .containsExactly(TimeoutEvent.Failed.class, TimeoutEvent.Succeeded.class);
  }
}
