package dev.switchboard.resilience;

import static dev.switchboard.resilience.CompositionHarness.fail;
import static dev.switchboard.resilience.CompositionHarness.pending;
import static dev.switchboard.resilience.CompositionHarness.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.resilience.CompositionHarness.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * All nine patterns on one call: whatever order they are added in, they wrap it in the documented
 * order, which the events they publish show (inner patterns finish first); and an async call
 * returns at once, holding its places until its stage completes.
 */
class CompositionOrderTest {

  private final CompositionHarness h = new CompositionHarness();
  private final List<Throwable> seenByFallback = new CopyOnWriteArrayList<>();
  private final LoadShedder shedder =
      LoadShedder.of(
          "shedder",
          LoadShedderConfig.builder().maxInFlight(100).ticker(h.ticker).eventBus(h.bus).build());
  private final Backpressure backpressure = h.backpressure();
  private final Bulkhead bulkhead = h.bulkhead();
  private final AdaptiveLimiter limiter = h.limiter();
  private final RateLimiter rateLimiter =
      RateLimiter.of(
          "rateLimiter",
          RateLimiterConfig.builder()
              .rate(1)
              .period(Duration.ofHours(1))
              .burst(10)
              .timeout(Duration.ZERO)
              .ticker(h.ticker)
              .eventBus(h.bus)
              .build());

  /** Outermost first, as documented on {@link Resilience}. */
  private final List<Object> documentedOrder =
      List.of(
          h.fallback(seenByFallback),
          shedder,
          backpressure,
          h.retry(),
          CircuitBreaker.of("breaker", h.breakerConfig().build()),
          rateLimiter,
          h.timeout(),
          bulkhead,
          limiter);

  @AfterEach
  void close() {
    h.close();
  }

  /** The documented order, its reverse and two fixed shuffles, each blocking and async. */
  static Stream<Arguments> addOrders() {
    List<Integer> documented = IntStream.range(0, 9).boxed().toList();
    List<Integer> reversed = new ArrayList<>(documented);
    Collections.reverse(reversed);
    List<Integer> shuffled1 = new ArrayList<>(documented);
    Collections.shuffle(shuffled1, new Random(1));
    List<Integer> shuffled2 = new ArrayList<>(documented);
    Collections.shuffle(shuffled2, new Random(2));
    return Stream.of(Mode.values())
        .flatMap(
            mode ->
                Stream.of(documented, reversed, shuffled1, shuffled2)
                    .map(order -> Arguments.of(mode, order)));
  }

  @ParameterizedTest(name = "{0} added in order {1}")
  @MethodSource("addOrders")
  void theEventsOfAFailedThenRetriedCallShowTheDocumentedNesting(Mode mode, List<Integer> order)
      throws Exception {
    List<String> trace = new CopyOnWriteArrayList<>();
    h.bus.subscribeAll(e -> trace.add(e.source() + " " + e.getClass().getSimpleName()));

    Object outcome =
        h.run(
            mode,
            List.of(fail("down"), succeed("ok")),
            order.stream().map(documentedOrder::get).toArray());

    assertThat(outcome).isEqualTo("ok");
    assertThat(trace)
        .containsExactly(
            // attempt 1: in through the rate limiter and bulkhead; the failure travels out
            // innermost first
            "rateLimiter Acquired",
            "bulkhead Permitted",
            "limiter LimitChanged",
            "bulkhead Finished",
            "timeout Failed",
            "breaker Failure",
            "retry Retrying",
            // attempt 2
            "rateLimiter Acquired",
            "bulkhead Permitted",
            "bulkhead Finished",
            "timeout Succeeded",
            "breaker Success",
            "retry SucceededAfterRetry");
    assertThat(seenByFallback).isEmpty();
    assertIdle();
  }

  @ParameterizedTest(name = "{0} added in order {1}")
  @MethodSource("addOrders")
  void theFallbackSeesTheRetryGivingUpWhateverTheOrder(Mode mode, List<Integer> order)
      throws Exception {
    Object outcome =
        h.run(mode, List.of(fail("down")), order.stream().map(documentedOrder::get).toArray());

    assertThat(outcome).isEqualTo("fallback");
    assertThat(h.invocations()).isEqualTo(3);
    assertThat(seenByFallback).singleElement().isInstanceOf(RetriesExhaustedException.class);
    assertIdle();
  }

  @Test
  void anAsyncCallReturnsAtOnceAndHoldsItsPlacesUntilItsStageCompletes() {
    CompletableFuture<String> stage =
        h.start(List.of(pending()), documentedOrder.toArray()).toCompletableFuture();

    assertThat(stage).isNotDone();
    assertThat(shedder.inFlight()).isEqualTo(1);
    assertThat(backpressure.level()).isEqualTo(1);
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(h.timers.pending()).as("the attempt's timeout is armed").isEqualTo(1);

    h.pendingStages().getFirst().complete("ok");

    assertThat(stage).isCompletedWithValue("ok");
    assertThat(h.timers.pending()).as("the timeout is disarmed").isZero();
    assertIdle();
  }

  private void assertIdle() {
    assertThat(shedder.inFlight()).isZero();
    assertThat(backpressure.level()).isZero();
    assertThat(bulkhead.availablePermits()).isEqualTo(2);
    assertThat(limiter.inFlight()).isZero();
  }
}
