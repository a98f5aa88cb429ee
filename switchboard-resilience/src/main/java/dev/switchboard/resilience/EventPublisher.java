package dev.switchboard.resilience;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One instance's events: its own listeners plus the {@link EventBus} it publishes to. {@link #emit}
 * builds the event only when someone listens, so an unobserved instance allocates nothing for
 * events. Thread-safe.
 *
 * @param <E> the instance's event family
 */
public final class EventPublisher<E extends ResilienceEvent> {

  private final EventBus bus;
  private volatile Consumer<? super E>[] listeners = newArray(0);

  public EventPublisher(EventBus bus) {
    this.bus = Objects.requireNonNull(bus, "bus");
  }

  /** Calls {@code listener} with every event of this instance; close the result to stop. */
  public synchronized Subscription onEvent(Consumer<? super E> listener) {
    Objects.requireNonNull(listener, "listener");
    Consumer<? super E>[] grown = Arrays.copyOf(listeners, listeners.length + 1);
    grown[listeners.length] = listener;
    listeners = grown;
    return () -> remove(listener);
  }

  /** True when an event would reach anyone. */
  public boolean isObserved() {
    return listeners.length > 0 || !bus.isEmpty();
  }

  /**
   * Builds the event with {@code event} and publishes it, if anyone listens. Never throws a
   * listener's failure.
   */
  public void emit(Supplier<? extends E> event) {
    Consumer<? super E>[] mine = listeners;
    if (mine.length == 0 && bus.isEmpty()) {
      return;
    }
    E built = event.get();
    for (Consumer<? super E> listener : mine) {
      EventBus.deliver(listener, built);
    }
    bus.publish(built);
  }

  private synchronized void remove(Consumer<? super E> listener) {
    listeners =
        Arrays.stream(listeners).filter(l -> l != listener).toArray(EventPublisher::newArray);
  }

  @SuppressWarnings("unchecked")
  private static <E> Consumer<? super E>[] newArray(int size) {
    return (Consumer<? super E>[]) new Consumer<?>[size];
  }
}
