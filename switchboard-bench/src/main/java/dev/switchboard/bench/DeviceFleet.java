package dev.switchboard.bench;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The simulated devices: one WebSocket each, user {@code u0 .. u<n-1>}, all subscribed to one
 * channel, served by a few Vert.x event loops of this JVM (never a thread per connection).
 * Connections open with a bounded number of handshakes in flight, so that ten thousand of them do
 * not overrun the server's accept queue.
 *
 * <p>Vert.x runs a connection on the event loop of the context that opened it, and a client used
 * from a thread of no context puts them all on one. So the fleet deploys one (empty) deployable per
 * event loop and opens device {@code i} from context {@code i % loops}: the devices are spread
 * evenly over every loop.
 *
 * <p>Every delivery goes to the current {@link Listener} on the connection's event loop, with the
 * time it was read. The fleet counts what went wrong (connections the server closed, messages the
 * protocol does not allow) and keeps the first few reasons; it never retries.
 */
public final class DeviceFleet implements AutoCloseable {

  /** Receives every delivery; called on the event loops, so it must be quick and thread-safe. */
  @FunctionalInterface
  interface Listener {
    void onDelivery(int device, long seq, long sentNanos, long receivedNanos);
  }

  private static final Listener IGNORE = (device, seq, sent, received) -> {};
  private static final int MAX_PROBLEMS = 5;
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final Vertx vertx;

  /**
   * One context per event loop; device {@code i} is opened, and lives, on {@code i %
   * contexts.size()}.
   */
  private final List<Context> contexts;

  private final WebSocketClient client;
  private final String host;
  private final int port;
  private final DeviceProtocol protocol;
  private final String channel;
  private final int size;

  private volatile Listener listener = IGNORE;
  private volatile boolean closing;
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final LongAdder refusals = new LongAdder();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

  private DeviceFleet(
      int eventLoops, String host, int port, DeviceProtocol protocol, String channel, int size) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    this.contexts = eventLoopContexts(vertx, eventLoops);
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(size)
                .setMaxFrameSize(MAX_MESSAGE_BYTES)
                .setMaxMessageSize(MAX_MESSAGE_BYTES)
                .setTryUsePerMessageCompression(false)
                .setTcpNoDelay(true)
                .setConnectTimeout(30_000));
    this.host = host;
    this.port = port;
    this.protocol = protocol;
    this.channel = channel;
    this.size = size;
  }

  /**
   * Opens {@code size} devices and waits until every one is subscribed.
   *
   * @param handshakes how many connections may be opening at once
   * @param progress where to report progress (one line a second)
   * @throws BenchmarkException when a device fails or they are not all ready within {@code
   *     timeout}; the fleet is closed then
   */
  static DeviceFleet connect(
      String name,
      String host,
      int port,
      DeviceProtocol protocol,
      String channel,
      int size,
      int eventLoops,
      int handshakes,
      Duration timeout,
      PrintStream progress)
      throws InterruptedException {
    DeviceFleet fleet = new DeviceFleet(eventLoops, host, port, protocol, channel, size);
    try {
      fleet.open(name, handshakes, timeout, progress);
      return fleet;
    } catch (InterruptedException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  /**
   * Deploys {@code loops} instances of a deployable that does nothing but hand out its context: one
   * context per event loop of {@code vertx} (when it has {@code loops} of them). Also used by
   * {@link IdleDevices} and the load test's transports ({@code dev.switchboard.bench.load}).
   *
   * @throws RuntimeException when the loops do not start within 30 s
   */
  public static List<Context> eventLoopContexts(Vertx vertx, int loops) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    // Vert.x wants a new instance per deployment: the lambda captures, so each call makes one.
    Supplier<Deployable> capture =
        () ->
            context -> {
              contexts.add(context);
              return Future.succeededFuture();
            };
    try {
      vertx
          .deployVerticle(capture, new DeploymentOptions().setInstances(loops))
          .await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new BenchmarkException("the devices' event loops did not start within 30 s", e);
    }
    return List.copyOf(contexts);
  }

  private void open(String name, int handshakes, Duration timeout, PrintStream progress)
      throws InterruptedException {
    Semaphore slots = new Semaphore(handshakes);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextReport = start + TimeUnit.SECONDS.toNanos(1);
    for (int i = 0; i < size; i++) {
      if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw notReady(timeout);
      }
      failIfAnyFailed();
      Device device = new Device(i, slots);
      contexts.get(i % contexts.size()).runOnContext(v -> device.connect());
      if (System.nanoTime() >= nextReport) {
        progress.printf("%s: connected %d/%d%n", name, ready.get(), size);
        nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
    }
    while (ready.get() + failed.get() < size) {
      if (System.nanoTime() >= deadline) {
        throw notReady(timeout);
      }
      Thread.sleep(20);
      if (System.nanoTime() >= nextReport) {
        progress.printf("%s: connected %d/%d%n", name, ready.get(), size);
        nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
    }
    failIfAnyFailed();
    progress.printf(
        "%s: connected %d/%d in %.1f s%n",
        name, ready.get(), size, (System.nanoTime() - start) / 1e9);
  }

  private void failIfAnyFailed() {
    if (failed.get() > 0) {
      throw new BenchmarkException(
          failed.get()
              + " of "
              + size
              + " devices could not connect and subscribe ("
              + ready.get()
              + " ready); first problems: "
              + problems());
    }
  }

  private BenchmarkException notReady(Duration timeout) {
    return new BenchmarkException(
        "only "
            + ready.get()
            + " of "
            + size
            + " devices were ready after "
            + timeout.toSeconds()
            + " s"
            + (problems.isEmpty() ? "" : "; first problems: " + problems()));
  }

  /** Sends every later delivery to {@code listener} (which replaces the previous one). */
  void listener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  int size() {
    return size;
  }

  /** Devices that were ready and then lost their connection. */
  int dropped() {
    return dropped.get();
  }

  /** Messages after the handshake that the protocol does not allow (they are otherwise ignored). */
  long refusals() {
    return refusals.sum();
  }

  /** The first few things that went wrong, for the report. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  private void problem(String what) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(what);
    }
  }

  /** Closes every connection and the event loops; waits up to 30 s. */
  @Override
  public void close() {
    closing = true;
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Its threads are daemons; nothing waits on them.
    }
  }

  /**
   * One device. Its fields are touched only on its connection's event loop, after {@link
   * #connect()}.
   */
  private final class Device {
    private final int index;
    private final String userId;
    private final DeviceSession session;
    private final Semaphore slots;
    private boolean subscribed;
    private boolean settled;

    Device(int index, Semaphore slots) {
      this.index = index;
      this.userId = "u" + index;
      this.session = protocol.newSession(userId, channel);
      this.slots = slots;
    }

    void connect() {
      ClientWebSocket ws = client.webSocket();
      Consumer<String> send = ws::writeTextMessage;
      ws.textMessageHandler(text -> onText(text, send));
      ws.binaryMessageHandler(data -> onRefused("a binary message of " + data.length() + " bytes"));
      ws.exceptionHandler(e -> onProblem("error: " + e));
      ws.closeHandler(v -> onClosed(ws.closeStatusCode(), ws.closeReason()));
      WebSocketConnectOptions options =
          new WebSocketConnectOptions().setHost(host).setPort(port).setURI(protocol.path(userId));
      ws.connect(options)
          .onComplete(
              opened -> session.onOpen(send),
              error -> {
                problem(userId + ": cannot connect: " + error.getMessage());
                settle(false);
              });
    }

    private void onText(String text, Consumer<String> send) {
      long received = System.nanoTime();
      DeviceEvent event = session.onText(text, send);
      switch (event) {
        case DeviceEvent.Delivery d -> listener.onDelivery(index, d.seq(), d.sentNanos(), received);
        case DeviceEvent.Subscribed s -> {
          subscribed = true;
          settle(true);
        }
        case DeviceEvent.Control c -> {}
        case DeviceEvent.Refused r -> onRefused(r.why());
      }
    }

    private void onRefused(String why) {
      if (subscribed) {
        refusals.increment();
      }
      onProblem(why);
    }

    private void onProblem(String why) {
      problem(userId + ": " + why);
      settle(false);
    }

    private void onClosed(Short code, String reason) {
      if (closing) {
        return;
      }
      if (subscribed) {
        dropped.incrementAndGet();
      }
      problem(
          userId
              + ": closed by the server"
              + (code == null ? "" : " (" + code + (reason == null ? "" : " " + reason) + ")"));
      settle(false);
    }

    /** Counts the handshake as done or failed, once, and frees its slot for the next device. */
    private void settle(boolean ok) {
      if (settled) {
        return;
      }
      settled = true;
      (ok ? ready : failed).incrementAndGet();
      slots.release();
    }
  }
}
