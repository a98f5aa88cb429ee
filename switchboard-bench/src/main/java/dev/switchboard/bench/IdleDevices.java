package dev.switchboard.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle authenticated devices of {@code bench connections}: WebSockets ({@code /ws?token=<JWT>},
 * user {@code idle-<i>} each) on a few Vert.x event loops of this JVM, never a thread per
 * connection. They send nothing; Vert.x answers the server's pings. Device {@code i} binds the
 * local address {@code 127.0.0.<2 + i / 25000>}, since one source address has about 28,000
 * ephemeral ports towards one server port. Opens with at most {@code inFlight} handshakes at once.
 */
final class IdleDevices implements AutoCloseable {

  private static final int PER_ADDRESS = 25_000;
  private static final int MAX_PROBLEMS = 5;

  private final Vertx vertx;
  private final List<Context> contexts;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private volatile boolean closing;

  IdleDevices(int eventLoops) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    this.contexts = DeviceFleet.eventLoopContexts(vertx, eventLoops);
  }

  /**
   * Opens {@code count} devices on {@code port} of 127.0.0.1 and waits until all are open; returns
   * the nanoseconds that took.
   *
   * @throws BenchmarkException when one fails, or they are not all open within {@code timeout}
   */
  long open(
      int port,
      DeviceTokens tokens,
      int count,
      int inFlight,
      Duration timeout,
      PrintStream progress)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int step = Math.max(1, count / 10);
    int nextReport = step;
    for (int i = 0; i < count; i++) {
      if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw notOpen(count, timeout);
      }
      failIfAnyFailed(count);
      WebSocketClient client = client(i / PER_ADDRESS);
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(port)
              .setURI("/ws?token=" + tokens.token("idle-" + i));
      int device = i;
      contexts
          .get(i % contexts.size())
          .runOnContext(
              v ->
                  client
                      .connect(options)
                      .onComplete(
                          done -> {
                            slots.release();
                            if (done.succeeded()) {
                              done.result()
                                  .closeHandler(
                                      c -> {
                                        if (!closing) {
                                          closedByServer.incrementAndGet();
                                        }
                                      });
                              open.incrementAndGet();
                            } else {
                              failed.incrementAndGet();
                              if (problems.size() < MAX_PROBLEMS) {
                                problems.add("device " + device + ": " + done.cause());
                              }
                            }
                          }));
      while (open.get() >= nextReport && nextReport <= count) {
        report(progress, count, start);
        nextReport += step;
      }
    }
    while (open.get() + failed.get() < count) {
      if (System.nanoTime() >= deadline) {
        throw notOpen(count, timeout);
      }
      Thread.sleep(5);
      while (open.get() >= nextReport && nextReport <= count) {
        report(progress, count, start);
        nextReport += step;
      }
    }
    long took = System.nanoTime() - start;
    failIfAnyFailed(count);
    return took;
  }

  private void report(PrintStream progress, int count, long start) {
    progress.printf(
        "connections: %d/%d open after %.1f s%n",
        open.get(), count, (System.nanoTime() - start) / 1e9);
  }

  private WebSocketClient client(int address) {
    while (clients.size() <= address) {
      clients.add(
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setLocalAddress("127.0.0." + (2 + clients.size()))
                  .setMaxConnections(Integer.MAX_VALUE)
                  .setTryUsePerMessageCompression(false)
                  .setConnectTimeout(30_000)));
    }
    return clients.get(address);
  }

  /** Devices open now (opened, and not closed by the server since). */
  int open() {
    return open.get() - closedByServer.get();
  }

  int closedByServer() {
    return closedByServer.get();
  }

  private void failIfAnyFailed(int count) {
    if (failed.get() > 0) {
      throw new BenchmarkException(
          failed.get()
              + " of "
              + count
              + " devices could not connect ("
              + open.get()
              + " open); first problems: "
              + problems);
    }
  }

  private BenchmarkException notOpen(int count, Duration timeout) {
    return new BenchmarkException(
        "only "
            + open.get()
            + " of "
            + count
            + " devices were open after "
            + timeout.toSeconds()
            + " s ("
            + failed.get()
            + " failed: "
            + problems
            + ")");
  }

  /** Closes every device and the event loops (waits up to 30 s). */
  @Override
  public void close() {
    closing = true;
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Leave the rest to the JVM's exit.
    }
  }
}
