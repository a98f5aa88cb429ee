package dev.switchboard.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AraTriggers} shares the work with the other nodes and how much it queues.
 *
 * @param leaseTime how long the lease lasts unless renewed (3 s by default): the longest a dead
 *     holder keeps the other nodes from taking over
 * @param renewEvery how often every node tries to take or renew the lease (1 s by default); less
 *     than {@code leaseTime - safetyMargin}, so a healthy holder never lets it lapse
 * @param safetyMargin how long before the lease expires in Redis its holder stops believing it
 *     holds it (500 ms by default), so that two nodes do not both handle a trigger while the lease
 *     changes hands
 * @param queueCapacity the most triggers waiting to be handled (10,000 by default); beyond that a
 *     trigger is dropped, counted and logged
 * @param maxInFlight the most sends the sink may have started and not completed (256 by default);
 *     beyond that the handler waits, and the queue fills
 */
public record TriggerSettings(
    Duration leaseTime,
    Duration renewEvery,
    Duration safetyMargin,
    int queueCapacity,
    int maxInFlight) {

  /**
   * @throws IllegalArgumentException when a duration is not positive, {@code renewEvery} is not
   *     less than {@code leaseTime - safetyMargin}, or a bound is below 1
   */
  public TriggerSettings {
    Objects.requireNonNull(leaseTime, "leaseTime");
    Objects.requireNonNull(renewEvery, "renewEvery");
    Objects.requireNonNull(safetyMargin, "safetyMargin");
    if (!leaseTime.isPositive() || !renewEvery.isPositive() || !safetyMargin.isPositive()) {
      throw new IllegalArgumentException("trigger lease durations must be positive");
    }
    if (renewEvery.compareTo(leaseTime.minus(safetyMargin)) >= 0) {
      throw new IllegalArgumentException(
          "the trigger lease must be renewed more often than its time less the margin, got every "
              + renewEvery.toMillis()
              + " ms for "
              + leaseTime.toMillis()
              + " ms less "
              + safetyMargin.toMillis()
              + " ms");
    }
    if (queueCapacity < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException(
          "queueCapacity and maxInFlight must be at least 1, got "
              + queueCapacity
              + " and "
              + maxInFlight);
    }
  }

  /** The defaults: a 3 s lease renewed every 1 s, 500 ms margin, 10,000 queued, 256 in flight. */
  public static TriggerSettings defaults() {
    return new TriggerSettings(
        Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(500), 10_000, 256);
  }
}
