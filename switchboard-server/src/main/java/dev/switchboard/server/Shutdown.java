package dev.switchboard.server;

import dev.switchboard.gateway.Outgoing;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful stop: refuse what is new, tell every device {@code shutdown {reason,
 * reconnect_after_seconds}}, let outbound queues drain for up to the drain timeout, then close
 * every connection with 1001.
 */
final class Shutdown {

  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
  private static final String REASON = "server shutting down";
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  private final ServerConfig config;
  private final AtomicBoolean started = new AtomicBoolean();

  Shutdown(ServerConfig config) {
    this.config = config;
  }

  /** True once shutdown began: new connections and API requests are refused with 503. */
  boolean started() {
    return started.get();
  }

  /**
   * Runs the shutdown once over {@code devices} (a live view: closed devices leave it); blocks
   * until they are closed or the drain timeout (plus 1 s for close handshakes) passed.
   */
  void run(Collection<Session> devices) {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    List<Session> all = List.copyOf(devices);
    log.info(
        "shutting down: telling {} devices, draining for up to {} ms",
        all.size(),
        config.drainTimeout().toMillis());
    Outgoing notice = Outgoing.rpc(Encoding.JSON, notice(config.reconnectAfter().toSeconds()));
    all.forEach(device -> device.deliver(notice));
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    List<Session> waiting = all;
    while (!waiting.isEmpty() && System.nanoTime() - deadline < 0) {
      waiting = waiting.stream().filter(d -> !d.drained()).toList();
      if (!waiting.isEmpty() && !pause()) {
        break;
      }
    }
    if (!waiting.isEmpty()) {
      log.warn(
          "shutting down: {} devices still had messages queued after {} ms",
          waiting.size(),
          config.drainTimeout().toMillis());
    }
    all.forEach(device -> device.connection().close(CloseReason.GOING_AWAY, REASON));
    // Give the close handshakes a moment ({@code devices} is live: closed ones leave it).
    long closing = System.nanoTime() + CLOSE_WAIT.toNanos();
    while (!devices.isEmpty() && System.nanoTime() - closing < 0 && pause()) {
      // waiting
    }
    // Whoever has not finished the close handshake by now (it stopped reading) is cut off.
    List.copyOf(devices).forEach(Session::abort);
  }

  static byte[] notice(long reconnectAfterSeconds) {
    return ("{\"jsonrpc\":\"2.0\",\"method\":\"shutdown\",\"params\":{\"reason\":\""
            + REASON
            + "\",\"reconnect_after_seconds\":"
            + reconnectAfterSeconds
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Sleeps 10 ms; false when interrupted (the flag is kept). */
  private static boolean pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(10);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
