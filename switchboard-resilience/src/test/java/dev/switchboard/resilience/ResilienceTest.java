package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Patterns stacked with {@link Resilience} wrap the call in the documented order, whatever order
 * they were added.
 */
class ResilienceTest {

  enum Mode {
    BLOCKING,
    ASYNC
  }

  private final EventBus bus = new EventBus();
  private final ManualTicker ticker = new ManualTicker();
  private final AtomicInteger invocations = new AtomicInteger();
  private final List<Throwable> seenByFallback = new CopyOnWriteArrayList<>();

  private final Retry retry =
      Retry.of(
          "retry",
          RetryConfig.builder()
              .maxAttempts(3)
              .backoff(Backoff.constant(Duration.ZERO))
              .sleeper(d -> {})
              .ticker(ticker)
              .eventBus(bus)
              .build());
  private final Fallback<String> fallback =
      Fallback.of(
          "fallback",
          FallbackConfig.<String>builder()
              .recover(
                  failure -> {
                    seenByFallback.add(failure);
                    return "fallback";
                  })
              .eventBus(bus)
              .build());
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "breaker", CircuitBreakerConfig.builder().ticker(ticker).eventBus(bus).build());

  /**
   * Every order of adding fallback (0), retry (1) and circuit breaker (2), each run blocking and
   * async.
   */
  static Stream<Arguments> addOrders() {
    List<List<Integer>> orders =
        List.of(
            List.of(0, 1, 2),
            List.of(0, 2, 1),
            List.of(1, 0, 2),
            List.of(1, 2, 0),
            List.of(2, 0, 1),
            List.of(2, 1, 0));
    return Stream.of(Mode.values())
        .flatMap(mode -> orders.stream().map(order -> Arguments.of(mode, order)));
  }

  @ParameterizedTest(name = "{0} added in order {1}")
  @MethodSource("addOrders")
  void eachRetryAttemptAsksTheCircuitBreakerAndTheFallbackSeesTheFinalFailure(
      Mode mode, List<Integer> order) throws Exception {
    breaker.forceOpen();
    List<RetryEvent> retryEvents = new CopyOnWriteArrayList<>();
    retry.events().onEvent(retryEvents::add);
    List<Object> patterns = List.of(fallback, retry, breaker);

    Object outcome = run(mode, () -> "never", order.stream().map(patterns::get).toArray());

    assertThat(outcome).isEqualTo("fallback");
    assertThat(invocations).hasValue(0);
    assertThat(retryEvents).filteredOn(e -> e instanceof RetryEvent.Retrying).hasSize(2);
    assertThat(seenByFallback)
        .singleElement()
        .isInstanceOf(RetriesExhaustedException.class)
        .extracting(Throwable::getCause)
        .isInstanceOf(CallNotPermittedException.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutFallbackTheCallerSeesTheRetryGivingUpOnTheOpenBreaker(Mode mode) throws Exception {
    breaker.forceOpen();

    Object outcome = run(mode, () -> "never", retry, breaker);

    assertThat(outcome).isInstanceOf(RetriesExhaustedException.class);
    assertThat(((Throwable) outcome).getCause()).isInstanceOf(CallNotPermittedException.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fallbackCatchesTheLastFailureAfterEveryAttempt(Mode mode) throws Exception {
    Object outcome =
        run(
            mode,
            () -> {
              throw new IOException("down");
            },
            retry,
            fallback);

    assertThat(outcome).isEqualTo("fallback");
    assertThat(invocations).hasValue(3);
    assertThat(seenByFallback)
        .singleElement()
        .extracting(Throwable::getCause)
        .isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachAttemptCostsARateLimiterPermit(Mode mode) throws Exception {
    RateLimiter limiter =
        RateLimiter.of(
            "limiter",
            RateLimiterConfig.builder()
                .rate(1)
                .period(Duration.ofHours(1))
                .burst(10)
                .timeout(Duration.ZERO)
                .ticker(ticker)
                .eventBus(bus)
                .build());
    int before = limiter.availableTokens();

    Object outcome = run(mode, failTwiceThen("ok"), limiter, retry);

    assertThat(outcome).isEqualTo("ok");
    assertThat(limiter.availableTokens()).isEqualTo(before - 3);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theLoadShedderAdmitsTheLogicalCallOnceAndHoldsItsSlotAcrossRetries(Mode mode)
      throws Exception {
    LoadShedder shedder =
        LoadShedder.of(
            "shedder",
            LoadShedderConfig.builder().maxInFlight(10).ticker(ticker).eventBus(bus).build());
    List<Integer> inFlightPerAttempt = new CopyOnWriteArrayList<>();
    Callable<String> body = failTwiceThen("ok");

    Object outcome =
        run(
            mode,
            () -> {
              inFlightPerAttempt.add(shedder.inFlight());
              return body.call();
            },
            retry,
            shedder);

    assertThat(outcome).isEqualTo("ok");
    assertThat(inFlightPerAttempt).containsExactly(1, 1, 1);
    assertThat(shedder.inFlight()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutPatternsTheCallRunsAsItIs(Mode mode) throws Exception {
    assertThat(run(mode, () -> "plain")).isEqualTo("plain");
    IOException failure = new IOException("boom");
    assertThat(
            run(
                mode,
                () -> {
                  throw failure;
                }))
        .isSameAs(failure);
  }

  @Test
  void eachPatternMayBeAddedOnlyOnce() {
    assertThatThrownBy(() -> Resilience.decorate(() -> "x").withRetry(retry).withRetry(retry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retry must be added at most once");
    assertThatThrownBy(
            () ->
                Resilience.<String>decorateAsync(() -> CompletableFuture.completedFuture("x"))
                    .withCircuitBreaker(breaker)
                    .withCircuitBreaker(breaker))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("circuitBreaker");
  }

  private Callable<String> failTwiceThen(String result) {
    AtomicInteger attempts = new AtomicInteger();
    return () -> {
      if (attempts.incrementAndGet() <= 2) {
        throw new IOException("attempt " + attempts.get());
      }
      return result;
    };
  }

  /**
   * Runs {@code body} decorated with {@code patterns} (added in the given order); the result or the
   * failure.
   */
  private Object run(Mode mode, Callable<String> body, Object... patterns) throws Exception {
    Callable<String> counted =
        () -> {
          invocations.incrementAndGet();
          return body.call();
        };
    try {
      if (mode == Mode.BLOCKING) {
        DecoratedCall<String> call = Resilience.decorate(counted);
        for (Object p : patterns) {
          add(call, p);
        }
        return call.call();
      }
      DecoratedAsyncCall<String> call =
          Resilience.decorateAsync(
              () -> {
                try {
                  return CompletableFuture.completedFuture(counted.call());
                } catch (Exception e) {
                  return CompletableFuture.failedFuture(e);
                }
              });
      for (Object p : patterns) {
        add(call, p);
      }
      return call.callAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(DecoratedCall<String> call, Object pattern) {
    switch (pattern) {
      case Fallback<?> f -> call.withFallback((Fallback<String>) f);
      case Retry r -> call.withRetry(r);
      case CircuitBreaker cb -> call.withCircuitBreaker(cb);
      case RateLimiter rl -> call.withRateLimiter(rl);
      case LoadShedder ls -> call.withLoadShedder(ls, CallPriority.NORMAL);
      default -> throw new IllegalArgumentException(pattern.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(DecoratedAsyncCall<String> call, Object pattern) {
    switch (pattern) {
      case Fallback<?> f -> call.withFallback((Fallback<String>) f);
      case Retry r -> call.withRetry(r);
      case CircuitBreaker cb -> call.withCircuitBreaker(cb);
      case RateLimiter rl -> call.withRateLimiter(rl);
      case LoadShedder ls -> call.withLoadShedder(ls, CallPriority.NORMAL);
      default -> throw new IllegalArgumentException(pattern.toString());
    }
  }
}
