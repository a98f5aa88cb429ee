package dev.switchboard.resilience;

import static dev.switchboard.resilience.CompositionHarness.fail;
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
 * Backpressure in a composed call: outside Retry, so it admits the logical call once and the call
 * keeps its one slot across all its attempts; inside Fallback, so a refusal can be answered by the
 * fallback.
 */
class CompositionBackpressureTest {

  private final CompositionHarness h = new CompositionHarness();
  private final Backpressure backpressure = h.backpressure();
  private final List<Integer> levelPerAttempt = new CopyOnWriteArrayList<>();
  private final List<RetryEvent> retryEvents = new CopyOnWriteArrayList<>();
  private final Retry retry = h.retry();

  CompositionBackpressureTest() {
    h.beforeEachAttempt(() -> levelPerAttempt.add(backpressure.level()));
    retry.events().onEvent(retryEvents::add);
  }

  @AfterEach
  void close() {
    h.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAdmittedCallHoldsOneSlotAcrossAllItsAttemptsAndGivesItBackOnSuccess(Mode mode)
      throws Exception {
    Object outcome = h.run(mode, List.of(fail("1"), fail("2"), succeed("ok")), retry, backpressure);

    assertThat(outcome).isEqualTo("ok");
    assertThat(levelPerAttempt).containsExactly(1, 1, 1);
    assertThat(backpressure.level()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theSlotComesBackWhenTheRetryGivesUp(Mode mode) throws Exception {
    Object outcome = h.run(mode, List.of(fail("down")), backpressure, retry);

    assertThat(outcome).isInstanceOf(RetriesExhaustedException.class);
    assertThat(levelPerAttempt).containsExactly(1, 1, 1);
    assertThat(backpressure.level()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void underPressureTheCallIsRefusedBeforeAnyAttemptAndNotRetried(Mode mode) throws Exception {
    pressureOn();

    Object outcome = h.run(mode, List.of(succeed("never reached")), retry, backpressure);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            BackpressureException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.BACKPRESSURE));
    assertThat(h.invocations()).isZero();
    assertThat(retryEvents).isEmpty();
    assertThat(backpressure.level()).as("only the test's own slots").isEqualTo(10);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theFallbackAnswersARefusal(Mode mode) throws Exception {
    pressureOn();
    List<Throwable> seenByFallback = new CopyOnWriteArrayList<>();

    Object outcome =
        h.run(
            mode,
            List.of(succeed("never reached")),
            backpressure,
            h.fallback(seenByFallback),
            retry);

    assertThat(outcome).isEqualTo("fallback");
    assertThat(seenByFallback).singleElement().isInstanceOf(BackpressureException.class);
    assertThat(h.invocations()).isZero();
  }

  @Test
  void anAsyncCallIsRefusedAtOnceEvenWhereABlockingCallerWouldWait() {
    Backpressure waiting =
        Backpressure.of("waiting", h.backpressureConfig().maxWait(Duration.ofMinutes(1)).build());
    while (waiting.tryAcquire()) {
      // the test fills it up to the high water mark
    }

    var stage = h.start(List.of(succeed("never reached")), waiting, retry).toCompletableFuture();

    assertThat(stage).isCompletedExceptionally();
    assertThat(CompositionHarness.outcome(stage)).isInstanceOf(BackpressureException.class);
  }

  private void pressureOn() {
    while (backpressure.tryAcquire()) {
      // the test fills it up to the high water mark
    }
    assertThat(backpressure.isPressured()).isTrue();
  }
}
