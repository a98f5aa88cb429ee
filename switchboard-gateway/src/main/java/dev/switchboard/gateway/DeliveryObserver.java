package dev.switchboard.gateway;

import java.time.Duration;

/**
 * Sees what {@link Deliveries} does, for metrics and traces (the server's implementation makes the
 * {@code notification.dispatch}, {@code queue.enqueue} and {@code queue.replay} spans). Each step
 * begins on the thread that does the work and is ended on it. Implementations must be thread-safe
 * and quick, and must not throw.
 */
public interface DeliveryObserver {

  /** Sees nothing. */
  DeliveryObserver NONE = new DeliveryObserver() {};

  /** A step that began and is told how it ended. */
  @FunctionalInterface
  interface Step {
    Step NONE = count -> {};

    /**
     * @param count what the step reached: devices for a dispatch, queued notifications replayed
     */
    void ended(int count);
  }

  /** {@code notification} is being handed to this node's devices that {@code target} names. */
  default Step dispatching(Target target, Notification notification) {
    return Step.NONE;
  }

  /**
   * {@code notification} goes into the inbox of {@code userKey}; it ends with the devices that took
   * it, 0 meaning it stays queued for the user's next connection.
   */
  default Step enqueuing(String userKey, Notification notification) {
    return Step.NONE;
  }

  /** A device of {@code userKey} is being given what its inbox owes it. */
  default Step replaying(String userKey) {
    return Step.NONE;
  }

  /** A delivery was acknowledged {@code latency} after it. */
  default void acknowledged(Duration latency) {}
}
