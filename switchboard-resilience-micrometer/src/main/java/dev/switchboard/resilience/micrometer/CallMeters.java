package dev.switchboard.resilience.micrometer;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.switchboard.resilience.CircuitBreaker;
import dev.switchboard.resilience.CircuitBreakerEvent;
import dev.switchboard.resilience.CircuitState;
import dev.switchboard.resilience.Fallback;
import dev.switchboard.resilience.FallbackEvent;
import dev.switchboard.resilience.Retry;
import dev.switchboard.resilience.RetryEvent;
import dev.switchboard.resilience.Timeout;
import dev.switchboard.resilience.TimeoutEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;

/**
 * Meters of the patterns that wrap a call's outcome: circuit breaker, retry, timeout, fallback.
 * Counters and timers are created once per instance, so an event only increments. See
 * docs/resilience-micrometer.md.
 */
final class CallMeters {

  static final String CIRCUIT_BREAKER = "switchboard.resilience.circuit.breaker";
  static final String RETRY = "switchboard.resilience.retry";
  static final String TIMEOUT = "switchboard.resilience.timeout";
  static final String FALLBACK = "switchboard.resilience.fallback";

  private CallMeters() {}

  static void circuitBreaker(CircuitBreaker breaker, MeterBinding binding) {
    Tags tags = Tags.of("name", breaker.name());
    for (CircuitState state : CircuitState.values()) {
      binding.gauge(
          CIRCUIT_BREAKER + ".state",
          tags.and("state", tagValue(state)),
          "1 for the breaker's current state, 0 for the others",
          breaker,
          b -> b.state() == state ? 1 : 0);
    }
    binding.gauge(
        CIRCUIT_BREAKER + ".failure.rate",
        tags,
        "Percentage of failed calls in the window; NaN until it holds the minimum number of calls",
        breaker,
        b -> b.metrics().failureRate().orElse(Double.NaN));
    binding.gauge(
        CIRCUIT_BREAKER + ".slow.call.rate",
        tags,
        "Percentage of slow calls in the window; NaN until it holds the minimum number of calls",
        breaker,
        b -> b.metrics().slowCallRate().orElse(Double.NaN));
    binding.gauge(
        CIRCUIT_BREAKER + ".buffered.calls",
        tags,
        "Calls recorded in the window",
        breaker,
        b -> b.metrics().bufferedCalls());

    String calls = CIRCUIT_BREAKER + ".calls";
    Timer successful =
        binding.timer(calls, tags.and("kind", "successful"), "Permitted calls that succeeded");
    Timer failed = binding.timer(calls, tags.and("kind", "failed"), "Permitted calls that failed");
    String slowCalls = CIRCUIT_BREAKER + ".slow.calls";
    Counter slowSuccessful =
        binding.counter(
            slowCalls,
            tags.and("kind", "successful"),
            "Successful calls that took at least the slow-call threshold");
    Counter slowFailed =
        binding.counter(
            slowCalls,
            tags.and("kind", "failed"),
            "Failed calls that took at least the slow-call threshold");
    Counter notPermitted =
        binding.counter(CIRCUIT_BREAKER + ".not.permitted.calls", tags, "Calls refused");
    long slowNanos = breaker.config().slowCallDurationThreshold().toNanos();
    binding.listen(
        breaker.events(),
        event -> {
          switch (event) {
            case CircuitBreakerEvent.Success s -> {
              successful.record(s.durationNanos(), NANOSECONDS);
              if (s.durationNanos() >= slowNanos) {
                slowSuccessful.increment();
              }
            }
            case CircuitBreakerEvent.Failure f -> {
              failed.record(f.durationNanos(), NANOSECONDS);
              if (f.durationNanos() >= slowNanos) {
                slowFailed.increment();
              }
            }
            case CircuitBreakerEvent.NotPermitted n -> notPermitted.increment();
            case CircuitBreakerEvent.StateTransition t -> {} // the state gauges show it
            case CircuitBreakerEvent.Reset r -> {}
          }
        });
  }

  static void retry(Retry retry, MeterBinding binding) {
    Tags tags = Tags.of("name", retry.name());
    String calls = RETRY + ".calls";
    Counter successfulWithoutRetry =
        binding.counter(
            calls,
            tags.and("kind", "successful_without_retry"),
            "Calls that succeeded on their first attempt");
    Counter successfulWithRetry =
        binding.counter(
            calls,
            tags.and("kind", "successful_with_retry"),
            "Calls that succeeded after at least one retry");
    Counter failedWithRetry =
        binding.counter(
            calls,
            tags.and("kind", "failed_with_retry"),
            "Calls that failed after at least one retry");
    Counter failedWithoutRetry =
        binding.counter(
            calls,
            tags.and("kind", "failed_without_retry"),
            "Calls that failed on their first attempt without being retried");
    Counter retries =
        binding.counter(RETRY + ".retries", tags, "Attempts that failed and were retried");
    binding.listen(
        retry.events(),
        event -> {
          switch (event) {
            case RetryEvent.Retrying r -> retries.increment();
            case RetryEvent.SucceededWithoutRetry s -> successfulWithoutRetry.increment();
            case RetryEvent.SucceededAfterRetry s -> successfulWithRetry.increment();
            case RetryEvent.Exhausted e ->
                (e.attempts() > 1 ? failedWithRetry : failedWithoutRetry).increment();
            case RetryEvent.IgnoredFailure i ->
                (i.attempt() > 1 ? failedWithRetry : failedWithoutRetry).increment();
          }
        });
  }

  static void timeout(Timeout timeout, MeterBinding binding) {
    Tags tags = Tags.of("name", timeout.name());
    String calls = TIMEOUT + ".calls";
    Timer successful =
        binding.timer(calls, tags.and("kind", "successful"), "Calls that completed in time");
    Timer failed = binding.timer(calls, tags.and("kind", "failed"), "Calls that failed in time");
    Timer timedOut =
        binding.timer(
            calls,
            tags.and("kind", "timeout"),
            "Calls cancelled at the time limit (recorded with the limit as their duration)");
    binding.listen(
        timeout.events(),
        event -> {
          switch (event) {
            case TimeoutEvent.Succeeded s -> successful.record(s.elapsed());
            case TimeoutEvent.Failed f -> failed.record(f.elapsed());
            case TimeoutEvent.TimedOut t -> timedOut.record(t.limit());
          }
        });
  }

  static void fallback(Fallback<?> fallback, MeterBinding binding) {
    Tags tags = Tags.of("name", fallback.name());
    String calls = FALLBACK + ".calls";
    Counter recovered =
        binding.counter(
            calls,
            tags.and("kind", "recovered"),
            "Failed calls whose failure a fallback replaced with a result");
    Counter failed =
        binding.counter(
            calls, tags.and("kind", "failed"), "Failed calls for which every fallback failed");
    Counter stepFailures =
        binding.counter(
            FALLBACK + ".step.failures",
            tags,
            "Fallback steps that threw, handing over to the next step");
    binding.listen(
        fallback.events(),
        event -> {
          switch (event) {
            case FallbackEvent.Recovered r -> recovered.increment();
            case FallbackEvent.AllFailed a -> failed.increment();
            case FallbackEvent.FallbackFailed f -> stepFailures.increment();
          }
        });
  }

  /**
   * {@code HALF_OPEN} as {@code half_open}: Micrometer tag values are conventionally lower case.
   */
  static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
