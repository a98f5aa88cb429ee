package dev.switchboard.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * Opens devices of one transport against a {@link LoadTarget}. A device counts as connected once
 * its connection is open and its channels are subscribed (its future completes then), so that every
 * notification sent afterwards must reach it.
 */
public interface DeviceTransport extends AutoCloseable {

  /** {@code ws}, {@code sse} or {@code wt}. */
  String name();

  /**
   * Connects one device; the future fails (never hangs past the transport's connect timeout) when
   * the server refuses it or does not answer.
   */
  CompletableFuture<LoadDevice> connect(DeviceSpec spec, DeviceListener listener);

  /** Releases the transport's threads and clients, after its devices are closed. */
  @Override
  void close();
}
