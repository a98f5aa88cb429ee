package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One end of two transports joined in memory, under {@link InMemoryLink} and the rpc module's own
 * specification tests. A message sent on one end reaches the other end's listener whole and in
 * order, on that end's delivery thread (a daemon platform thread, as a socket's I/O thread would
 * be). Closing either end closes both: each listener hears {@code transportClosed} once, with the
 * code and reason given, after every message sent before the close.
 *
 * <p>What a network transport does and this one does not: there are no transport pings ({@link
 * #sendPing()} is false, so keepalive uses {@code rpc.ping}) and no checks of arriving messages
 * (size, UTF-8). Like a socket's, its queue is bounded: {@link #send} refuses a message while
 * {@link #MAX_QUEUED} wait undelivered on the other end, and once the pair is closed.
 *
 * <p>Thread-safe: {@code send} and {@code close} may be called from any thread and never block.
 */
final class InMemoryTransport implements Transport {

  private static final AtomicLong PAIRS = new AtomicLong();

  /** Messages that may wait undelivered at one end before {@link #send} refuses more. */
  static final int MAX_QUEUED = 10_000;

  /** Messages sent to this end and not yet delivered. */
  private final AtomicInteger queued = new AtomicInteger();

  private final String name;

  /** Runs this end's listener, one event at a time; shut down after it delivered the close. */
  private final ExecutorService delivery;

  /** Completed once by {@link #start}; deliveries wait for it, so nothing sent early is lost. */
  private final CompletableFuture<TransportListener> listener = new CompletableFuture<>();

  /** Shared by both ends: closing one closes the pair. */
  private final AtomicBoolean closed;

  /** Set once by {@link #pair()}, before either end is handed out. */
  private InMemoryTransport other;

  private InMemoryTransport(String name, AtomicBoolean closed) {
    this.name = name;
    this.closed = closed;
    this.delivery =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("rpc-" + name).daemon().factory());
  }

  /**
   * Two ends joined to each other; neither delivers anything until it is {@link #start started}.
   */
  record Pair(InMemoryTransport left, InMemoryTransport right) {}

  static Pair pair() {
    String prefix = "in-memory-" + PAIRS.incrementAndGet();
    AtomicBoolean closed = new AtomicBoolean();
    InMemoryTransport left = new InMemoryTransport(prefix + "-left", closed);
    InMemoryTransport right = new InMemoryTransport(prefix + "-right", closed);
    left.other = right;
    right.other = left;
    return new Pair(left, right);
  }

  /**
   * Starts delivering to {@code value}: usually the {@link RpcConnection} opened on this end.
   * Called once.
   */
  void start(TransportListener value) {
    if (!listener.complete(Objects.requireNonNull(value, "listener"))) {
      throw new IllegalStateException(name + " is started already");
    }
  }

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(bytes, "bytes");
    return !closed.get() && other.deliverMessage(to -> to.receive(encoding, bytes));
  }

  @Override
  public void close(int code, String reason) {
    Objects.requireNonNull(reason, "reason");
    if (closed.compareAndSet(false, true)) {
      deliverLast(to -> to.transportClosed(code, reason));
      other.deliverLast(to -> to.transportClosed(code, reason));
    }
  }

  @Override
  public String describe() {
    return name;
  }

  /** False when {@link #MAX_QUEUED} messages wait already, or the pair closed meanwhile. */
  private boolean deliverMessage(Consumer<TransportListener> event) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      return false;
    }
    boolean accepted =
        deliver(
            to -> {
              queued.decrementAndGet();
              event.accept(to);
            });
    if (!accepted) {
      queued.decrementAndGet();
    }
    return accepted;
  }

  /** False when the end has stopped delivering: the pair closed meanwhile. */
  private boolean deliver(Consumer<TransportListener> event) {
    try {
      delivery.execute(() -> event.accept(listener.join()));
      return true;
    } catch (RejectedExecutionException closedMeanwhile) {
      return false;
    }
  }

  private void deliverLast(Consumer<TransportListener> event) {
    deliver(event);
    delivery.shutdown();
  }

  @Override
  public String toString() {
    return "InMemoryTransport{" + name + (closed.get() ? ", closed" : "") + "}";
  }
}
