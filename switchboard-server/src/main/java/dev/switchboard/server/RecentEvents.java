package dev.switchboard.server;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The last {@link #CAPACITY} things an operator should see on the admin page: slow consumers cut
 * off, protocol violations, unexpected failures. Fed where the server already counts or logs them
 * ({@link Session}, {@link DeviceAdmission}, {@link HttpApi}); the oldest goes first. Thread-safe.
 */
final class RecentEvents {

  /** Events kept. */
  static final int CAPACITY = 100;

  private final Clock clock;

  /** Guarded by itself. */
  private final ArrayDeque<Event> events = new ArrayDeque<>(CAPACITY);

  RecentEvents(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What happened. */
  enum Kind {
    /** A device closed with 4008: its outbound queue overflowed. */
    SLOW_CONSUMER,
    /** A device broke its transport's protocol, or something failed unexpectedly. */
    ERROR;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One event.
   *
   * @param subject what it is about: a connection ({@code ws c7 user alice 10.0.0.5:51234}), a
   *     request, an address
   * @param detail what happened, as the log line says it
   */
  record Event(Instant at, Kind kind, String subject, String detail) {
    Event {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(detail, "detail");
    }
  }

  void add(Kind kind, String subject, String detail) {
    Event event = new Event(clock.instant(), kind, subject, detail);
    synchronized (events) {
      if (events.size() == CAPACITY) {
        events.removeFirst();
      }
      events.addLast(event);
    }
  }

  /** The events kept, newest first. */
  List<Event> newestFirst() {
    synchronized (events) {
      return List.copyOf(events.reversed());
    }
  }
}
