package dev.switchboard.resilience.micrometer;

import dev.switchboard.resilience.EventPublisher;
import dev.switchboard.resilience.ResilienceEvent;
import dev.switchboard.resilience.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The meters and event subscriptions one {@link ResilienceMetrics} made in one {@link
 * MeterRegistry}, so that closing can undo them. Not thread-safe: {@link ResilienceMetrics} guards
 * it with its lock.
 *
 * <p>Gauges and function counters hold their instance weakly (Micrometer's default): they never
 * keep an instance alive, and report NaN once it is collected.
 */
final class MeterBinding {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();

  MeterBinding(MeterRegistry registry) {
    this.registry = registry;
  }

  <T> void gauge(
      String name, Tags tags, String description, T instance, ToDoubleFunction<T> value) {
    meters.add(
        Gauge.builder(name, instance, value)
            .tags(tags)
            .description(description)
            .register(registry));
  }

  <T> void functionCounter(
      String name, Tags tags, String description, T instance, ToDoubleFunction<T> count) {
    meters.add(
        FunctionCounter.builder(name, instance, count)
            .tags(tags)
            .description(description)
            .register(registry));
  }

  Counter counter(String name, Tags tags, String description) {
    Counter counter = Counter.builder(name).tags(tags).description(description).register(registry);
    meters.add(counter);
    return counter;
  }

  Timer timer(String name, Tags tags, String description) {
    Timer timer = Timer.builder(name).tags(tags).description(description).register(registry);
    meters.add(timer);
    return timer;
  }

  <E extends ResilienceEvent> void listen(EventPublisher<E> events, Consumer<? super E> listener) {
    subscriptions.add(events.onEvent(listener));
  }

  void keep(Subscription subscription) {
    subscriptions.add(subscription);
  }

  /** Stops every subscription, then removes every meter from the registry. */
  void close() {
    subscriptions.forEach(Subscription::close);
    subscriptions.clear();
    meters.forEach(registry::remove);
    meters.clear();
  }
}
