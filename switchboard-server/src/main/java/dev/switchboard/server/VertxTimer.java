package dev.switchboard.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * {@link TokenExpiry.Timer} on Vert.x timers, running each task on {@code context} (the
 * connection's event loop), whichever thread scheduled it. Thread-safe.
 */
final class VertxTimer implements TokenExpiry.Timer {

  private final Vertx vertx;
  private final Context context;

  VertxTimer(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /** Vert.x takes at least 1 ms; a shorter delay waits that long. */
  @Override
  public Runnable schedule(Duration delay, Runnable task) {
    long id =
        vertx.setTimer(
            Math.max(1, delay.toMillis()), fired -> context.runOnContext(v -> task.run()));
    return () -> vertx.cancelTimer(id);
  }
}
