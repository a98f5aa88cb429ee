package dev.switchboard.bench.load;

import java.util.concurrent.CompletableFuture;

/** A connected device of one transport. */
public interface LoadDevice extends AutoCloseable {

  /** {@code ws}, {@code sse} or {@code wt}. */
  String transport();

  /**
   * Stops following the device's channels before it leaves; completes once the server has taken it
   * out of them (at once for a device without channels).
   */
  default CompletableFuture<Void> leaveChannels() {
    return CompletableFuture.completedFuture(null);
  }

  /** Closes the connection; the listener hears no {@code dropped} for it. Never throws. */
  @Override
  void close();
}
