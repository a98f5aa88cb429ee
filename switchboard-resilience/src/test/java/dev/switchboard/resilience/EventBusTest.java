package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventBusTest {

  private record Tick(String source, long atNanos) implements ResilienceEvent {
    @Override
    public PatternType patternType() {
      return PatternType.RATE_LIMITER;
    }
  }

  private record Tock(String source, long atNanos) implements ResilienceEvent {
    @Override
    public PatternType patternType() {
      return PatternType.BULKHEAD;
    }
  }

  @Test
  void aTypedListenerHearsOnlyItsTypeAndTheWildcardHearsEverything() {
    EventBus bus = new EventBus();
    List<Object> ticks = new ArrayList<>();
    List<Object> all = new ArrayList<>();
    bus.subscribe(Tick.class, ticks::add);
    bus.subscribeAll(all::add);

    bus.publish(new Tick("a", 1));
    bus.publish(new Tock("b", 2));

    assertThat(ticks).containsExactly(new Tick("a", 1));
    assertThat(all).containsExactly(new Tick("a", 1), new Tock("b", 2));
  }

  @Test
  void aListenerThatThrowsIsLoggedAndTheOthersStillHear() {
    EventBus bus = new EventBus();
    List<Object> heard = new ArrayList<>();
    bus.subscribeAll(
        e -> {
          throw new IllegalStateException("listener bug");
        });
    bus.subscribeAll(heard::add);

    bus.publish(new Tick("a", 1));

    assertThat(heard).hasSize(1);
  }

  @Test
  void closingASubscriptionStopsIt() {
    EventBus bus = new EventBus();
    List<Object> heard = new ArrayList<>();
    Subscription subscription = bus.subscribeAll(heard::add);
    subscription.close();

    bus.publish(new Tick("a", 1));

    assertThat(heard).isEmpty();
    assertThat(bus.isEmpty()).isTrue();
  }

  @Test
  void anUnobservedPublisherNeverBuildsTheEvent() {
    EventBus bus = new EventBus();
    EventPublisher<Tick> events = new EventPublisher<>(bus);
    AtomicInteger built = new AtomicInteger();

    events.emit(
        () -> {
          built.incrementAndGet();
          return new Tick("a", 1);
        });
    assertThat(built).hasValue(0);
    assertThat(events.isObserved()).isFalse();

    List<Tick> mine = new ArrayList<>();
    Subscription subscription = events.onEvent(mine::add);
    events.emit(
        () -> {
          built.incrementAndGet();
          return new Tick("a", 2);
        });
    subscription.close();
    assertThat(built).hasValue(1);
    assertThat(mine).containsExactly(new Tick("a", 2));
  }

  @Test
  void anInstancesEventsAlsoReachItsBus() {
    EventBus bus = new EventBus();
    List<Object> onBus = new ArrayList<>();
    bus.subscribe(Tick.class, onBus::add);
    EventPublisher<Tick> events = new EventPublisher<>(bus);

    events.emit(() -> new Tick("a", 3));

    assertThat(onBus).containsExactly(new Tick("a", 3));
  }
}
