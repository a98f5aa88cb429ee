package dev.switchboard.bench.load;

/**
 * What a device tells the run. Called from the device's I/O threads: implementations are quick and
 * thread-safe.
 */
public interface DeviceListener {

  /**
   * A notification arrived. {@code sentNanos} is the {@code sent_nanos} field of its payload (the
   * {@link System#nanoTime()} at which this process started sending it; absent: -1), {@code
   * receivedNanos} the {@link System#nanoTime()} at which its text was read.
   */
  void delivered(String notificationId, long sentNanos, long receivedNanos);

  /** The device's connection ended without this process closing it, and why. */
  void dropped(String transport, String reason);
}
