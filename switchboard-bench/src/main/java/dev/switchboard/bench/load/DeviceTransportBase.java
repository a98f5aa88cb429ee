package dev.switchboard.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the three transports share: the connect timeout, the devices still open (closed with the
 * transport), and refusing connects once closed. A transport says how to make a device and how to
 * start its connect.
 */
abstract class DeviceTransportBase<D extends DeviceConnection> implements DeviceTransport {

  private final String name;
  final Duration connectTimeout;
  final Set<DeviceConnection> live = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  DeviceTransportBase(String name, Duration connectTimeout) {
    this.name = name;
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final CompletableFuture<LoadDevice> connect(DeviceSpec spec, DeviceListener listener) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException(name + ": transport closed"));
    }
    D device = newDevice(spec, listener);
    CompletableFuture<LoadDevice> connected = device.connecting(connectTimeout);
    start(device);
    return connected;
  }

  /** A device of this transport, not yet connecting. */
  abstract D newDevice(DeviceSpec spec, DeviceListener listener);

  /** Starts {@code device}'s connect; its outcome goes through the device. */
  abstract void start(D device);

  /** Closes the devices still open, then releases the transport's own resources. */
  @Override
  public final void close() {
    closed = true;
    List.copyOf(live).forEach(DeviceConnection::close);
    release();
  }

  /** Releases threads and clients; the devices are closed already. */
  abstract void release();
}
