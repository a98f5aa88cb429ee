package dev.switchboard.resilience;

import static dev.switchboard.resilience.CompositionHarness.fail;
import static dev.switchboard.resilience.CompositionHarness.pending;
import static dev.switchboard.resilience.CompositionHarness.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.resilience.CompositionHarness.Mode;
import dev.switchboard.resilience.CompositionHarness.Throw;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AdaptiveLimiter in a composed call: innermost, so every attempt takes and reports its own permit,
 * and every failed or timed-out attempt makes the limit back off (here from 10 by half: 10, 5, 2,
 * 1).
 */
class CompositionAdaptiveLimiterTest {

  private final CompositionHarness h = new CompositionHarness();
  private final AdaptiveLimiter limiter = h.limiter();
  private final List<String> limitChanges = new CopyOnWriteArrayList<>();
  private final List<Integer> inFlightPerAttempt = new CopyOnWriteArrayList<>();

  CompositionAdaptiveLimiterTest() {
    limiter
        .events()
        .onEvent(
            e -> {
              if (e instanceof AdaptiveLimiterEvent.LimitChanged c) {
                limitChanges.add(c.from() + "->" + c.to());
              }
            });
    h.beforeEachAttempt(() -> inFlightPerAttempt.add(limiter.inFlight()));
  }

  @AfterEach
  void close() {
    h.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachAttemptTakesItsOwnPermitAndReportsItsOwnOutcome(Mode mode) throws Exception {
    Object outcome = h.run(mode, List.of(fail("1"), fail("2"), succeed("ok")), h.retry(), limiter);

    assertThat(outcome).isEqualTo("ok");
    assertThat(inFlightPerAttempt).containsExactly(1, 1, 1);
    // two failures back off; the success found the small limit fully used, so it grows by one
    assertThat(limitChanges).containsExactly("10->5", "5->2", "2->3");
    assertThat(limiter.inFlight()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachAttemptAsksTheLimiterAgainAndARefusalIsRetried(Mode mode) throws Exception {
    while (limiter.tryAcquire().isPresent()) {
      // the test holds the whole limit
    }
    long refusedBefore = limiter.rejected();

    Object outcome = h.run(mode, List.of(succeed("never reached")), limiter, h.retry());

    assertThat(outcome)
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(LimitExceededException.class));
    assertThat(limiter.rejected() - refusedBefore).isEqualTo(3);
    assertThat(h.invocations()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noPermitLeaksWhateverTheCallThrows(Mode mode) throws Exception {
    Object outcome =
        h.run(
            mode,
            List.of(fail("checked"), new Throw(new IllegalStateException("unchecked"))),
            h.retry(),
            limiter,
            h.bulkhead());

    assertThat(outcome).isInstanceOf(RetriesExhaustedException.class);
    assertThat(h.invocations()).isEqualTo(3);
    assertThat(limitChanges).containsExactly("10->5", "5->2", "2->1");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aBlockingTimedOutAttemptGivesItsPermitBackAndMakesTheLimiterBackOff() throws Exception {
    Object outcome = h.run(Mode.BLOCKING, List.of(pending()), h.timeout(), limiter);

    assertThat(outcome).isInstanceOf(TimeoutExceededException.class);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isEqualTo(5);
  }

  @Test
  void anAsyncTimedOutAttemptGivesItsPermitBackAndMakesTheLimiterBackOff() throws Exception {
    Object outcome = h.run(Mode.ASYNC, List.of(pending()), h.timeout(), limiter);

    assertThat(outcome).isInstanceOf(TimeoutExceededException.class);
    assertThat(h.abandonedAttempts()).as("the late call is cancelled").isEqualTo(1);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isEqualTo(5);
  }

  @Test
  void aCallerCancellingTheAsyncStageGivesThePermitBack() {
    CompletableFuture<String> stage = h.start(List.of(pending()), limiter).toCompletableFuture();
    assertThat(limiter.inFlight()).isEqualTo(1);

    stage.cancel(true);

    assertThat(limiter.inFlight()).isZero();
  }
}
