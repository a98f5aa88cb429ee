package dev.switchboard.bench.load;

import dev.switchboard.bench.DeviceFleet;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport whose devices are Vert.x connections of its own {@link Vertx}: device {@code i}
 * opens, and lives, on event loop {@code i % eventLoops} (never a thread per device).
 */
abstract class VertxDeviceTransport<D extends DeviceConnection> extends DeviceTransportBase<D> {

  final Vertx vertx;
  private final List<Context> contexts;
  private final AtomicInteger next = new AtomicInteger();

  VertxDeviceTransport(String name, Duration connectTimeout, int eventLoops) {
    super(name, connectTimeout);
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    this.contexts = DeviceFleet.eventLoopContexts(vertx, eventLoops);
  }

  @Override
  final void start(D device) {
    contexts
        .get(Math.floorMod(next.getAndIncrement(), contexts.size()))
        .runOnContext(v -> open(device));
  }

  /** Opens {@code device}'s connection; on its event loop. */
  abstract void open(D device);

  @Override
  final void release() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Its threads are daemons; nothing waits on them.
    }
  }
}
