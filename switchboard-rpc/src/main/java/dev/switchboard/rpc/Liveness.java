package dev.switchboard.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers that keep a connection honest: keepalive pings (close after N missed in a row), the
 * idle timeout (no traffic either way, pings aside) and the maximum connection duration. Each
 * closes with {@link CloseReason#GOING_AWAY}.
 *
 * <p>Keepalive uses the transport's own ping (WebSocket ping frames, answered by every WebSocket
 * stack, so plain JSON-RPC clients stay connected) and falls back to {@code rpc.ping} for
 * transports without one. A ping counts as answered when anything at all arrived from the peer
 * within the ping timeout.
 */
final class Liveness {

  private static final Logger log = LoggerFactory.getLogger(Liveness.class);

  private final RealRpcConnection connection;
  private final RpcConfig config;
  private final AtomicInteger missedPings = new AtomicInteger();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private volatile long lastActivityMillis;

  /** When we last heard from the peer in any way: a message or a pong. */
  private volatile long lastHeardNanos = System.nanoTime();

  Liveness(RealRpcConnection connection) {
    this.connection = connection;
    this.config = connection.config();
    this.lastActivityMillis = config.clock().millis();
  }

  synchronized void start() {
    Duration ping = config.pingInterval();
    if (!ping.isZero()) {
      timers.add(
          config
              .scheduler()
              .scheduleAtFixedRate(
                  this::ping, ping.toNanos(), ping.toNanos(), TimeUnit.NANOSECONDS));
    }
    Duration idle = config.idleTimeout();
    if (!idle.isZero()) {
      long every = Math.max(idle.toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(10));
      timers.add(
          config
              .scheduler()
              .scheduleAtFixedRate(this::checkIdle, every, every, TimeUnit.NANOSECONDS));
    }
    Duration max = config.maxConnectionDuration();
    if (!max.isZero()) {
      timers.add(
          config
              .scheduler()
              .schedule(
                  () ->
                      close(
                          "the connection reached its maximum duration of "
                              + max.toMillis()
                              + " ms"),
                  max.toNanos(),
                  TimeUnit.NANOSECONDS));
    }
  }

  synchronized void stop() {
    timers.forEach(t -> t.cancel(false));
    timers.clear();
  }

  void touch() {
    lastActivityMillis = config.clock().millis();
  }

  void touchUnless(boolean keepalive) {
    if (!keepalive) {
      touch();
    }
  }

  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  private void ping() {
    long sentAt = System.nanoTime();
    if (connection.transport().sendPing()) {
      config
          .scheduler()
          .schedule(
              () -> {
                if (lastHeardNanos - sentAt >= 0) {
                  missedPings.set(0);
                } else {
                  missed();
                }
              },
              config.pingTimeout().toNanos(),
              TimeUnit.NANOSECONDS);
      return;
    }
    connection
        .ping(config.pingTimeout())
        .whenComplete(
            (pong, failure) -> {
              if (failure == null || failure instanceof RpcException) {
                missedPings.set(
                    0); // any answer, even an error from a peer without rpc.ping, proves it is
                // alive
              } else if (failure instanceof CallTimeoutException) {
                missed();
              }
            });
  }

  private void missed() {
    int missed = missedPings.incrementAndGet();
    log.debug("{}: ping unanswered ({} in a row)", connection.describe(), missed);
    if (missed >= config.maxMissedPings()) {
      close(
          "keepalive: "
              + missed
              + " pings in a row unanswered within "
              + config.pingTimeout().toMillis()
              + " ms");
    }
  }

  private void checkIdle() {
    long idleFor = config.clock().millis() - lastActivityMillis;
    if (idleFor >= config.idleTimeout().toMillis()) {
      close(
          "idle for " + idleFor + " ms (idle timeout " + config.idleTimeout().toMillis() + " ms)");
    }
  }

  private void close(String reason) {
    if (connection.isOpen()) {
      log.info("{}: closing: {}", connection.describe(), reason);
      connection.close(CloseReason.GOING_AWAY, reason);
    }
  }
}
