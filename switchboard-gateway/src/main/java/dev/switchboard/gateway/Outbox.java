package dev.switchboard.gateway;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;

/**
 * One device's bounded outbound queue, between everyone who sends to the device and its socket.
 *
 * <p>Messages go to the {@link Sink} in the order offered, at most {@link
 * OutboxLimits#windowBytes()} at a time (a larger message goes alone; the sink reports each write
 * done); the rest wait here. When a new message does not fit the limits, the oldest waiting Low and
 * Normal notifications are dropped to make room; if even dropping all of them is not enough (what
 * waits is RPC traffic or High and Critical notifications), the offer is refused with {@link
 * Offer.Overflow} and the owner disconnects the device as a slow consumer. Memory per device is
 * thus bounded by the limits plus the window, and a slow device never slows the senders: {@link
 * #offer} never blocks.
 *
 * <p>Thread-safe: any thread may offer; the sink's completions may come from any thread.
 */
public final class Outbox {

  /** Where messages go: a socket. Both methods must not block. */
  public interface Sink {
    /**
     * Starts writing {@code message}; calls {@code done} once it is written or failed, on any
     * thread.
     */
    void write(Outgoing message, Runnable done);
  }

  /** What became of an offer. */
  public sealed interface Offer {
    /** Queued or written; {@code dropped} older notifications made room for it. */
    record Accepted(int dropped) implements Offer {}

    /** Did not fit even after dropping what may be dropped: the device cannot keep up. */
    record Overflow(String reason) implements Offer {}

    /** The outbox was closed. */
    record Closed() implements Offer {}
  }

  private static final Offer ACCEPTED = new Offer.Accepted(0);

  private final OutboxLimits limits;
  private final Sink sink;

  /** All below are guarded by {@code this}. */
  private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();

  private long waitingBytes;
  private long inFlightBytes;
  private long dropped;
  private boolean pumping;
  private boolean closed;

  public Outbox(OutboxLimits limits, Sink sink) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Queues {@code message} behind what waits and writes what the window allows. Never blocks. */
  public synchronized Offer offer(Outgoing message) {
    Objects.requireNonNull(message, "message");
    if (closed) {
      return new Offer.Closed();
    }
    int droppedNow = 0;
    if (!fits(message)) {
      if (!fitsAfterDropping(message)) {
        return new Offer.Overflow(
            "slow consumer: "
                + waiting.size()
                + " messages ("
                + waitingBytes
                + " bytes) waiting, limits "
                + limits.maxMessages()
                + " messages / "
                + limits.maxBytes()
                + " bytes");
      }
      droppedNow = dropOldestDroppable(message);
    }
    waiting.addLast(message);
    waitingBytes += message.size();
    pump();
    return droppedNow == 0 ? ACCEPTED : new Offer.Accepted(droppedNow);
  }

  /** Stops taking messages and forgets what waits; what is in flight is the socket's business. */
  public synchronized void close() {
    closed = true;
    waiting.clear();
    waitingBytes = 0;
  }

  /** True when nothing waits and nothing is in flight. */
  public synchronized boolean isEmpty() {
    return waiting.isEmpty() && inFlightBytes == 0;
  }

  public synchronized int waitingMessages() {
    return waiting.size();
  }

  public synchronized long waitingBytes() {
    return waitingBytes;
  }

  /** Notifications dropped to make room since creation. */
  public synchronized long dropped() {
    return dropped;
  }

  private boolean fits(Outgoing message) {
    return waiting.size() < limits.maxMessages()
        && waitingBytes + message.size() <= limits.maxBytes();
  }

  /**
   * Whether dropping every droppable message would make room; if not, nothing is dropped in vain.
   */
  private boolean fitsAfterDropping(Outgoing message) {
    int count = waiting.size();
    long bytes = waitingBytes;
    for (Outgoing old : waiting) {
      if (old.droppable()) {
        count--;
        bytes -= old.size();
      }
    }
    return count < limits.maxMessages() && bytes + message.size() <= limits.maxBytes();
  }

  private int dropOldestDroppable(Outgoing incoming) {
    int count = 0;
    for (Iterator<Outgoing> it = waiting.iterator(); it.hasNext() && !fits(incoming); ) {
      Outgoing old = it.next();
      if (old.droppable()) {
        it.remove();
        waitingBytes -= old.size();
        count++;
      }
    }
    dropped += count;
    return count;
  }

  /**
   * Hands waiting messages to the sink while the window has room; re-entrant calls from the sink
   * return.
   */
  private void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      // A message larger than the window still goes, alone, once nothing else is in flight.
      while (!waiting.isEmpty()
          && (inFlightBytes == 0
              || inFlightBytes + waiting.peekFirst().size() <= limits.windowBytes())) {
        Outgoing next = waiting.pollFirst();
        waitingBytes -= next.size();
        inFlightBytes += next.size();
        int size = next.size();
        sink.write(next, () -> written(size));
      }
    } finally {
      pumping = false;
    }
  }

  private synchronized void written(int size) {
    inFlightBytes -= size;
    pump();
  }
}
