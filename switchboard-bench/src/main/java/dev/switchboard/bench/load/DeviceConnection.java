package dev.switchboard.bench.load;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every transport's device shares: the connect future with its timeout, and the one end of the
 * connection, which is ours ({@link #close()}, a failed or timed-out connect: never reported) or
 * the server's ({@link #lost}: {@code dropped} once it was connected, a failed connect before).
 * Thread-safe: the I/O threads report, any thread may close.
 */
abstract class DeviceConnection implements LoadDevice {

  private final String transport;
  private final DeviceListener listener;
  private final Set<DeviceConnection> live;
  private final CompletableFuture<LoadDevice> connected = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();

  private final DeviceListener deliveries =
      new DeviceListener() {
        @Override
        public void delivered(String notificationId, long sentNanos, long receivedNanos) {
          if (!ended.get()) {
            listener.delivered(notificationId, sentNanos, receivedNanos);
          }
        }

        @Override
        public void dropped(String transport, String reason) {
          lost(reason);
        }
      };

  /** What the connect is waiting for, for the timeout's message. */
  private volatile String stage = "connecting";

  /**
   * @param live the transport's devices that have not ended: this one is in it until it ends, so
   *     that closing the transport closes it first (and it reports no {@code dropped} then)
   */
  DeviceConnection(String transport, DeviceListener listener, Set<DeviceConnection> live) {
    this.transport = transport;
    this.listener = listener;
    this.live = live;
    live.add(this);
  }

  /**
   * Starts the clock: the future fails {@code timeout} from now unless the device is ready by then,
   * and the connection is closed.
   */
  final CompletableFuture<LoadDevice> connecting(Duration timeout) {
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, Runnable::run)
        .execute(
            () -> {
              if (!connected.isDone()) {
                fail(
                    new TimeoutException(
                        transport
                            + ": not connected within "
                            + timeout.toMillis()
                            + " ms ("
                            + stage
                            + ")"));
              }
            });
    return connected;
  }

  @Override
  public final String transport() {
    return transport;
  }

  /**
   * Where the device reports its deliveries: the run's listener until the device ends (after its
   * {@link #close()}, what was still on the way is not reported).
   */
  final DeviceListener listener() {
    return deliveries;
  }

  /** Says what the connect waits for now, for the timeout's message. */
  final void stage(String what) {
    stage = what;
  }

  /** Whether this process ended the connection, or the server did. */
  final boolean ended() {
    return ended.get();
  }

  /** Open and subscribed: the future completes (unless it already failed, which closed us). */
  final void ready() {
    if (!connected.complete(this)) {
      close();
    }
  }

  /** The connect failed: the future fails with a {@link RuntimeException} saying {@code why}. */
  final void fail(String why) {
    fail(new IllegalStateException(transport + ": " + why));
  }

  /** The connect failed with {@code error}; the connection is closed, unreported. */
  final void fail(Throwable error) {
    if (connected.completeExceptionally(error)) {
      close();
    }
  }

  /**
   * The connection ended on its own: {@code dropped} when the device was connected and we did not
   * close it, a failed connect when it was still connecting; nothing after the first end.
   */
  final void lost(String reason) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    live.remove(this);
    boolean connecting =
        connected.completeExceptionally(
            new IllegalStateException(transport + ": closed while connecting: " + reason));
    if (!connecting && !connected.isCompletedExceptionally()) {
      listener.dropped(transport, reason);
    }
    disconnectQuietly();
  }

  @Override
  public final void close() {
    ended.set(true);
    live.remove(this);
    connected.completeExceptionally(new IllegalStateException(transport + ": closed"));
    disconnectQuietly();
  }

  private void disconnectQuietly() {
    try {
      disconnect();
    } catch (RuntimeException e) {
      // Closing is best effort: whatever is left ends with the transport.
    }
  }

  /** Closes the connection (or what of it is open so far); may run more than once; never throws. */
  abstract void disconnect();
}
