package dev.switchboard.resilience.micrometer;

import static dev.switchboard.resilience.micrometer.CallMeters.tagValue;

import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.Backpressure;
import dev.switchboard.resilience.BackpressureEvent;
import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.BulkheadEvent;
import dev.switchboard.resilience.CallPriority;
import dev.switchboard.resilience.KeyedRateLimiter;
import dev.switchboard.resilience.LoadLevel;
import dev.switchboard.resilience.LoadShedder;
import dev.switchboard.resilience.LoadShedderEvent;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;

/**
 * Meters of the patterns that admit or refuse calls: bulkhead, rate limiters, load shedder,
 * backpressure, adaptive limiter. Counters are created once per instance, so an event only
 * increments. Where the instance counts for itself (adaptive limiter) a function counter reads it
 * and no event is subscribed.
 */
final class AdmissionMeters {

  static final String BULKHEAD = "switchboard.resilience.bulkhead";
  static final String RATE_LIMITER = "switchboard.resilience.rate.limiter";
  static final String KEYED_RATE_LIMITER = "switchboard.resilience.keyed.rate.limiter";
  static final String LOAD_SHEDDER = "switchboard.resilience.load.shedder";
  static final String BACKPRESSURE = "switchboard.resilience.backpressure";
  static final String ADAPTIVE_LIMITER = "switchboard.resilience.adaptive.limiter";

  private AdmissionMeters() {}

  static void bulkhead(Bulkhead bulkhead, MeterBinding binding) {
    Tags tags = Tags.of("name", bulkhead.name());
    binding.gauge(
        BULKHEAD + ".available.permits",
        tags,
        "Permits free now",
        bulkhead,
        Bulkhead::availablePermits);
    binding.gauge(
        BULKHEAD + ".max.permits",
        tags,
        "Calls allowed at once (maxConcurrentCalls)",
        bulkhead,
        b -> b.config().maxConcurrentCalls());
    binding.gauge(
        BULKHEAD + ".waiting.calls",
        tags,
        "Callers waiting for a permit now",
        bulkhead,
        Bulkhead::waitingCallers);
    String calls = BULKHEAD + ".calls";
    Counter permitted =
        binding.counter(calls, tags.and("kind", "permitted"), "Calls that got a permit");
    Counter rejected =
        binding.counter(
            calls, tags.and("kind", "rejected"), "Calls refused: the bulkhead was full");
    binding.listen(
        bulkhead.events(),
        event -> {
          switch (event) {
            case BulkheadEvent.Permitted p -> permitted.increment();
            case BulkheadEvent.Rejected r -> rejected.increment();
            case BulkheadEvent.Finished f -> {}
          }
        });
  }

  static void rateLimiter(RateLimiter limiter, MeterBinding binding) {
    Tags tags = Tags.of("name", limiter.name());
    binding.gauge(
        RATE_LIMITER + ".available.tokens",
        tags,
        "Tokens available now (0 while waiters hold them)",
        limiter,
        RateLimiter::availableTokens);
    String permits = RATE_LIMITER + ".permits";
    Counter granted = binding.counter(permits, tags.and("kind", "granted"), "Permits granted");
    Counter rejected = binding.counter(permits, tags.and("kind", "rejected"), "Permits refused");
    binding.listen(
        limiter.events(),
        event -> {
          switch (event) {
            case RateLimiterEvent.Acquired a -> granted.increment(a.permits());
            case RateLimiterEvent.Rejected r -> rejected.increment(r.permits());
          }
        });
  }

  /** Only the number of keys: a meter per key would have unbounded cardinality. */
  static void keyedRateLimiter(KeyedRateLimiter<?> limiter, MeterBinding binding) {
    binding.gauge(
        KEYED_RATE_LIMITER + ".keys",
        Tags.of("name", limiter.name()),
        "Keys kept now, each with its own bucket",
        limiter,
        KeyedRateLimiter::size);
  }

  static void loadShedder(LoadShedder shedder, MeterBinding binding) {
    Tags tags = Tags.of("name", shedder.name());
    binding.gauge(
        LOAD_SHEDDER + ".in.flight",
        tags,
        "Admitted calls running now",
        shedder,
        LoadShedder::inFlight);
    binding.gauge(
        LOAD_SHEDDER + ".max.in.flight",
        tags,
        "Calls allowed at once (maxInFlight)",
        shedder,
        s -> s.config().maxInFlight());
    for (LoadLevel level : LoadLevel.values()) {
      binding.gauge(
          LOAD_SHEDDER + ".level",
          tags.and("level", tagValue(level)),
          "1 for the current load level, 0 for the others",
          shedder,
          s -> s.level() == level ? 1 : 0);
    }
    Map<CallPriority, Counter> shed = new EnumMap<>(CallPriority.class);
    for (CallPriority priority : CallPriority.values()) {
      shed.put(
          priority,
          binding.counter(
              LOAD_SHEDDER + ".shed.calls",
              tags.and("priority", tagValue(priority)),
              "Calls shed, by their priority"));
    }
    binding.listen(
        shedder.events(),
        event -> {
          switch (event) {
            case LoadShedderEvent.Shed s -> shed.get(s.priority()).increment();
            case LoadShedderEvent.LevelChanged c -> {} // the level gauges show it
          }
        });
  }

  static void backpressure(Backpressure backpressure, MeterBinding binding) {
    Tags tags = Tags.of("name", backpressure.name());
    binding.gauge(
        BACKPRESSURE + ".level", tags, "Items in flight now", backpressure, Backpressure::level);
    binding.gauge(
        BACKPRESSURE + ".high.water.mark",
        tags,
        "The level at which pressure turns on",
        backpressure,
        b -> b.config().highWaterMark());
    binding.gauge(
        BACKPRESSURE + ".pressured",
        tags,
        "1 while pressure is on, else 0",
        backpressure,
        b -> b.isPressured() ? 1 : 0);
    Counter rejected =
        binding.counter(BACKPRESSURE + ".rejected.calls", tags, "Callers refused under pressure");
    binding.listen(
        backpressure.events(),
        event -> {
          switch (event) {
            case BackpressureEvent.Rejected r -> rejected.increment();
            case BackpressureEvent.StateChanged c -> {} // the pressured gauge shows it
          }
        });
  }

  static void adaptiveLimiter(AdaptiveLimiter limiter, MeterBinding binding) {
    Tags tags = Tags.of("name", limiter.name());
    binding.gauge(
        ADAPTIVE_LIMITER + ".limit",
        tags,
        "The current concurrency limit",
        limiter,
        AdaptiveLimiter::limit);
    binding.gauge(
        ADAPTIVE_LIMITER + ".in.flight",
        tags,
        "Admitted calls not yet reported",
        limiter,
        AdaptiveLimiter::inFlight);
    binding.functionCounter(
        ADAPTIVE_LIMITER + ".rejected.calls",
        tags,
        "Calls refused at the limit",
        limiter,
        AdaptiveLimiter::rejected);
  }
}
