package dev.switchboard.server;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Messages sent, delivered and failed today (UTC), from counters that only grow: the totals at the
 * start of the day are kept, and today's counts are the totals less those. A new day starts at the
 * first {@link #roll} or {@link #today} after midnight; the server rolls every minute, so a day's
 * counts may hold up to a minute of the day before. The day the server started counts from
 * start-up. Thread-safe.
 */
final class DailyCounts {

  /**
   * @param sent notifications sent through this node
   * @param delivered notifications handed to a device's outbound queue
   * @param failed deliveries a device refused (closed, or disconnected as a slow consumer)
   */
  record Counts(long sent, long delivered, long failed) {
    Counts minus(Counts other) {
      return new Counts(sent - other.sent, delivered - other.delivered, failed - other.failed);
    }
  }

  private final Clock clock;

  /** Guarded by {@code this}. */
  private LocalDate day;

  /** The totals when {@link #day} began; guarded by {@code this}. */
  private Counts atStartOfDay = new Counts(0, 0, 0);

  DailyCounts(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.day = today(clock);
  }

  /** Starts a new day when the date changed since the last call, with {@code totals} now. */
  synchronized void roll(Counts totals) {
    LocalDate now = today(clock);
    if (!now.equals(day)) {
      day = now;
      atStartOfDay = totals;
    }
  }

  /** Today's counts, given the totals since start-up now. */
  synchronized Counts today(Counts totals) {
    roll(totals);
    return totals.minus(atStartOfDay);
  }

  private static LocalDate today(Clock clock) {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
