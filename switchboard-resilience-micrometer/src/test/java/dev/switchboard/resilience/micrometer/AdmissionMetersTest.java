package dev.switchboard.resilience.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.AdaptiveLimiterConfig;
import dev.switchboard.resilience.Backpressure;
import dev.switchboard.resilience.BackpressureConfig;
import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.BulkheadConfig;
import dev.switchboard.resilience.CallPriority;
import dev.switchboard.resilience.EventBus;
import dev.switchboard.resilience.KeyedRateLimiter;
import dev.switchboard.resilience.KeyedRateLimiterConfig;
import dev.switchboard.resilience.LoadShedder;
import dev.switchboard.resilience.LoadShedderConfig;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bulkhead, rate limiters, load shedder, backpressure and adaptive limiter meters move with
 * admissions.
 */
class AdmissionMetersTest {

  private final EventBus bus = new EventBus();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private ResilienceMetrics metrics;

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void bulkheadMetersShowPermitsAndCountPermittedAndRejectedCalls() {
    Bulkhead bulkhead =
        Bulkhead.of(
            "db",
            BulkheadConfig.builder()
                .maxConcurrentCalls(2)
                .maxWaitingCalls(0)
                .eventBus(bus)
                .build());
    metrics = ResilienceMetrics.of(bulkhead);
    metrics.bindTo(meters);

    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThat(bulkhead.tryAcquire()).isFalse();

    assertThat(gauge("switchboard.resilience.bulkhead.available.permits")).isZero();
    assertThat(gauge("switchboard.resilience.bulkhead.max.permits")).isEqualTo(2);
    assertThat(gauge("switchboard.resilience.bulkhead.waiting.calls")).isZero();
    assertThat(counter("switchboard.resilience.bulkhead.calls", "kind", "permitted")).isEqualTo(2);
    assertThat(counter("switchboard.resilience.bulkhead.calls", "kind", "rejected")).isEqualTo(1);
    bulkhead.release();
    assertThat(gauge("switchboard.resilience.bulkhead.available.permits")).isEqualTo(1);
  }

  @Test
  void rateLimiterMetersShowTokensAndCountGrantedAndRejectedPermits() {
    RateLimiter limiter =
        RateLimiter.of(
            "api",
            RateLimiterConfig.builder()
                .rate(1)
                .period(Duration.ofHours(1))
                .burst(3)
                .eventBus(bus)
                .build());
    metrics = ResilienceMetrics.of(limiter);
    metrics.bindTo(meters);
    assertThat(gauge("switchboard.resilience.rate.limiter.available.tokens")).isEqualTo(3);

    assertThat(limiter.tryAcquire(2).granted()).isTrue();
    assertThat(limiter.tryAcquire(2).granted()).isFalse();

    assertThat(gauge("switchboard.resilience.rate.limiter.available.tokens")).isEqualTo(1);
    assertThat(counter("switchboard.resilience.rate.limiter.permits", "kind", "granted"))
        .isEqualTo(2);
    assertThat(counter("switchboard.resilience.rate.limiter.permits", "kind", "rejected"))
        .isEqualTo(2);
  }

  @Test
  void keyedRateLimiterShowsItsNumberOfKeysAndNoMeterPerKey() {
    KeyedRateLimiter<String> limiter =
        KeyedRateLimiter.of("per-client", KeyedRateLimiterConfig.defaults());
    metrics = ResilienceMetrics.of(limiter);
    metrics.bindTo(meters);

    limiter.tryAcquire("alice");
    limiter.tryAcquire("bob");

    assertThat(gauge("switchboard.resilience.keyed.rate.limiter.keys", "name", "per-client"))
        .isEqualTo(2);
    assertThat(meters.getMeters()).hasSize(1);
  }

  @Test
  void loadShedderMetersShowInFlightAndLevelAndCountShedCallsByPriority() {
    LoadShedder shedder =
        LoadShedder.of("api", LoadShedderConfig.builder().maxInFlight(2).eventBus(bus).build());
    metrics = ResilienceMetrics.of(shedder);
    metrics.bindTo(meters);
    assertThat(gauge("switchboard.resilience.load.shedder.level", "level", "normal")).isEqualTo(1);

    assertThat(shedder.tryAcquire(CallPriority.CRITICAL)).isTrue();
    assertThat(shedder.tryAcquire(CallPriority.LOW)).isFalse();

    assertThat(gauge("switchboard.resilience.load.shedder.in.flight")).isEqualTo(1);
    assertThat(gauge("switchboard.resilience.load.shedder.max.in.flight")).isEqualTo(2);
    assertThat(gauge("switchboard.resilience.load.shedder.level", "level", "normal")).isZero();
    assertThat(gauge("switchboard.resilience.load.shedder.level", "level", "elevated"))
        .isEqualTo(1);
    assertThat(counter("switchboard.resilience.load.shedder.shed.calls", "priority", "low"))
        .isEqualTo(1);
    assertThat(counter("switchboard.resilience.load.shedder.shed.calls", "priority", "critical"))
        .isZero();
  }

  @Test
  void backpressureMetersShowLevelAndPressureAndCountRejections() throws Exception {
    Backpressure backpressure =
        Backpressure.of(
            "outbox",
            BackpressureConfig.builder().highWaterMark(2).lowWaterMark(1).eventBus(bus).build());
    metrics = ResilienceMetrics.of(backpressure);
    metrics.bindTo(meters);

    assertThat(backpressure.tryAcquire()).isTrue();
    assertThat(gauge("switchboard.resilience.backpressure.pressured")).isZero();
    assertThat(backpressure.tryAcquire()).isTrue();
    assertThat(backpressure.acquire(Duration.ZERO)).isFalse();

    assertThat(gauge("switchboard.resilience.backpressure.level")).isEqualTo(2);
    assertThat(gauge("switchboard.resilience.backpressure.high.water.mark")).isEqualTo(2);
    assertThat(gauge("switchboard.resilience.backpressure.pressured")).isEqualTo(1);
    assertThat(counter("switchboard.resilience.backpressure.rejected.calls")).isEqualTo(1);
  }

  @Test
  void adaptiveLimiterMetersShowLimitInFlightAndRejections() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.of(
            "db", AdaptiveLimiterConfig.builder().initialLimit(1).eventBus(bus).build());
    metrics = ResilienceMetrics.of(limiter);
    metrics.bindTo(meters);

    var permit = limiter.tryAcquire().orElseThrow();
    assertThat(limiter.tryAcquire()).isEmpty();

    assertThat(gauge("switchboard.resilience.adaptive.limiter.limit")).isEqualTo(1);
    assertThat(gauge("switchboard.resilience.adaptive.limiter.in.flight")).isEqualTo(1);
    assertThat(
            meters
                .get("switchboard.resilience.adaptive.limiter.rejected.calls")
                .functionCounter()
                .count())
        .isEqualTo(1);
    permit.success();
    assertThat(gauge("switchboard.resilience.adaptive.limiter.limit")).isEqualTo(2);
  }

  private double gauge(String name, String... tags) {
    return meters.get(name).tags(tags).gauge().value();
  }

  private double counter(String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }
}
