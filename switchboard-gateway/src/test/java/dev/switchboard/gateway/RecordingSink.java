package dev.switchboard.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Outbox.Sink} that records every write and leaves it in flight until the test completes
 * it, or, once {@link #completeSynchronously} is set, completes each write inside {@code write}
 * itself (as a socket that writes at once does). Tracks the bytes in flight and the most ever in
 * flight. Thread-safe.
 */
final class RecordingSink implements Outbox.Sink {

  private record Pending(Outgoing message, Runnable done) {}

  private final List<Outgoing> written = new ArrayList<>();
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private long inFlightBytes;
  private long maxInFlightBytes;
  private boolean synchronous;

  @Override
  public void write(Outgoing message, Runnable done) {
    boolean completeNow;
    synchronized (this) {
      written.add(message);
      completeNow = synchronous;
      if (!completeNow) {
        inFlight.addLast(new Pending(message, done));
        inFlightBytes += message.size();
        maxInFlightBytes = Math.max(maxInFlightBytes, inFlightBytes);
      }
    }
    if (completeNow) {
      done.run();
    }
  }

  /**
   * Writes from now on complete inside {@code write}; those already in flight still wait for the
   * test.
   */
  synchronized void completeSynchronously() {
    synchronous = true;
  }

  /**
   * Completes the oldest write in flight (outside this sink's lock, as a socket's callback would).
   */
  void completeOldest() {
    Pending oldest;
    synchronized (this) {
      oldest = inFlight.pollFirst();
      if (oldest == null) {
        throw new IllegalStateException("nothing in flight");
      }
      inFlightBytes -= oldest.message().size();
    }
    oldest.done().run();
  }

  /** Completes writes until none is in flight, including those the completions start. */
  void completeAll() {
    while (inFlightCount() > 0) {
      completeOldest();
    }
  }

  synchronized List<Outgoing> written() {
    return List.copyOf(written);
  }

  synchronized int writtenCount() {
    return written.size();
  }

  synchronized int inFlightCount() {
    return inFlight.size();
  }

  synchronized long maxInFlightBytes() {
    return maxInFlightBytes;
  }
}
