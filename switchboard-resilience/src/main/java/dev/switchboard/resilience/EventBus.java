package dev.switchboard.resilience;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners for the events of every pattern instance: for one event type (and its subtypes) or for
 * all. A listener that throws is logged and never breaks the call that published. While nobody
 * listens, instances build no event objects at all ({@link #isEmpty()}). Thread-safe; adding or
 * removing is copy-on-write, publishing reads one volatile array.
 */
public final class EventBus {

  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  private static final EventBus GLOBAL = new EventBus();

  private record Entry(
      Class<? extends ResilienceEvent> type, Consumer<? super ResilienceEvent> listener) {}

  private volatile Entry[] entries = new Entry[0];

  /**
   * A bus of one's own (tests, or to keep a subsystem's events apart); instances publish to {@link
   * #global()}.
   */
  public EventBus() {}

  /** The bus every instance publishes to unless its config names another. */
  public static EventBus global() {
    return GLOBAL;
  }

  /**
   * Calls {@code listener} with every event of {@code type} (or a subtype); close the result to
   * stop.
   */
  public <E extends ResilienceEvent> Subscription subscribe(
      Class<E> type, Consumer<? super E> listener) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(listener, "listener");
    Consumer<? super ResilienceEvent> cast = event -> listener.accept(type.cast(event));
    return add(new Entry(type, cast));
  }

  /** Calls {@code listener} with every event (the wildcard); close the result to stop. */
  public Subscription subscribeAll(Consumer<? super ResilienceEvent> listener) {
    Objects.requireNonNull(listener, "listener");
    return add(new Entry(ResilienceEvent.class, listener));
  }

  /** True while nobody listens. */
  public boolean isEmpty() {
    return entries.length == 0;
  }

  /**
   * Hands {@code event} to every listener of its type; a listener's exception is logged, never
   * thrown.
   */
  public void publish(ResilienceEvent event) {
    for (Entry e : entries) {
      if (e.type.isInstance(event)) {
        deliver(e.listener, event);
      }
    }
  }

  static <E> void deliver(Consumer<? super E> listener, E event) {
    try {
      listener.accept(event);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vme) {
        throw vme;
      }
      log.warn("an event listener threw on {}; ignored", event, e);
    }
  }

  private synchronized Subscription add(Entry entry) {
    Entry[] grown = Arrays.copyOf(entries, entries.length + 1);
    grown[entries.length] = entry;
    entries = grown;
    return () -> remove(entry);
  }

  private synchronized void remove(Entry entry) {
    entries = Arrays.stream(entries).filter(e -> e != entry).toArray(Entry[]::new);
  }
}
