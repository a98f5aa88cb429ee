package dev.switchboard.resilience;

import static dev.switchboard.resilience.CompositionHarness.fail;
import static dev.switchboard.resilience.CompositionHarness.pending;
import static dev.switchboard.resilience.CompositionHarness.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.resilience.CompositionHarness.Mode;
import dev.switchboard.resilience.CompositionHarness.Step;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bulkhead in a composed call: inside Retry and CircuitBreaker, so a refusal ({@link
 * BulkheadFullException}) is an attempt's failure that the retry retries and the breaker counts as
 * its exception handling says; and a permit comes back however the attempt ends.
 */
class CompositionBulkheadTest {

  private final CompositionHarness h = new CompositionHarness();
  private final Bulkhead bulkhead = h.bulkhead();

  @AfterEach
  void close() {
    h.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void byDefaultTheBreakerCountsAFullBulkheadAsAFailure(Mode mode) throws Exception {
    takeAllPermits();
    CircuitBreaker breaker =
        CircuitBreaker.of("breaker", h.breakerConfig().consecutiveFailureThreshold(1).build());

    Object outcome = h.run(mode, List.of(succeed("never reached")), bulkhead, breaker);

    assertThat(outcome).isInstanceOf(BulkheadFullException.class);
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aBreakerWhoseHandlingLeavesOutRefusalsDoesNotCountAFullBulkhead(Mode mode) throws Exception {
    takeAllPermits();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "breaker",
            h.breakerConfig()
                .consecutiveFailureThreshold(1)
                .exceptionHandling(
                    ExceptionHandling.builder()
                        .handleIf(e -> !(e instanceof ResilienceException))
                        .build())
                .build());

    Object outcome = h.run(mode, List.of(succeed("never reached")), bulkhead, breaker);

    assertThat(outcome)
        .as("the caller still sees the refusal")
        .isInstanceOf(BulkheadFullException.class);
    assertThat(breaker.metrics().failedCalls()).isZero();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachRetryAttemptAsksTheBulkheadAgain(Mode mode) throws Exception {
    takeAllPermits();
    Retry retry = h.retry();
    List<RetryEvent> retryEvents = new CopyOnWriteArrayList<>();
    retry.events().onEvent(retryEvents::add);
    // A permit comes free while the retry waits after the first refusal.
    retry
        .events()
        .onEvent(
            e -> {
              if (e instanceof RetryEvent.Retrying) {
                bulkhead.release();
              }
            });

    Object outcome = h.run(mode, List.of(succeed("ok")), retry, bulkhead);

    assertThat(outcome).isEqualTo("ok");
    assertThat(h.invocations()).isEqualTo(1);
    assertThat(retryEvents)
        .first()
        .isInstanceOfSatisfying(
            RetryEvent.Retrying.class,
            r -> assertThat(r.cause()).get().isInstanceOf(BulkheadFullException.class));
    assertThat(retryEvents).last().isInstanceOf(RetryEvent.SucceededAfterRetry.class);
    bulkhead.release();
    assertThat(bulkhead.availablePermits()).isEqualTo(2);
  }

  /**
   * Each mode with each way an attempt can end; the async timeout is {@link
   * #anAsyncTimeoutGivesThePermitBack}.
   */
  static Stream<Arguments> endings() {
    return Stream.of(
        Arguments.of(Mode.BLOCKING, succeed("ok")),
        Arguments.of(Mode.BLOCKING, fail("down")),
        Arguments.of(Mode.BLOCKING, pending()),
        Arguments.of(Mode.ASYNC, succeed("ok")),
        Arguments.of(Mode.ASYNC, fail("down")),
        Arguments.of(
            Mode.ASYNC, new CompositionHarness.Throw(new IllegalStateException("no stage"))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endings")
  void everyAttemptGivesItsPermitBackHoweverItEnds(Mode mode, Step ending) throws Exception {
    // Retries make more attempts than there are permits: a leaked permit would refuse a later one.
    Retry retry = Retry.of("retry", h.retryConfig().maxAttempts(3).build());

    Object outcome = h.run(mode, List.of(ending), retry, h.timeout(), bulkhead);

    if (ending instanceof CompositionHarness.Succeed) {
      assertThat(outcome).isEqualTo("ok");
    } else {
      assertThat(h.invocations()).as("every attempt got a permit").isEqualTo(3);
      assertThat(outcome).isInstanceOf(RetriesExhaustedException.class);
    }
    assertThat(bulkhead.availablePermits()).isEqualTo(2);
  }

  @Test
  void anAsyncTimeoutGivesThePermitBack() throws Exception {
    Object outcome = h.run(Mode.ASYNC, List.of(pending()), h.timeout(), bulkhead);

    assertThat(outcome).isInstanceOf(TimeoutExceededException.class);
    assertThat(h.pendingStages())
        .singleElement()
        .matches(stage -> stage.isCancelled(), "cancelled");
    assertThat(bulkhead.availablePermits()).isEqualTo(2);
  }

  @Test
  void anAsyncTimedOutAttemptThatCompletesLateStillGivesThePermitBack() throws Exception {
    Object outcome = h.run(Mode.ASYNC, List.of(pending()), h.timeout(), bulkhead);
    h.pendingStages().getFirst().complete("late");

    assertThat(outcome).isInstanceOf(TimeoutExceededException.class);
    assertThat(bulkhead.availablePermits()).isEqualTo(2);
  }

  private void takeAllPermits() {
    while (bulkhead.tryAcquire()) {
      // the test holds them
    }
  }
}
