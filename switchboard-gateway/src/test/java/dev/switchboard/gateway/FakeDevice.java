package dev.switchboard.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device that records what it is handed. It accepts everything until {@link #refuse} is called;
 * every call to {@link #deliver} is counted, refused or not. Compared by identity, as the registry
 * expects. Public for the shared engines' own tests (the gateway's test-jar).
 */
public final class FakeDevice implements Device {

  private final String id;
  private final String userId;
  private final List<Outgoing> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean refusing;
  private final boolean acknowledges;
  private final StreamGate gate = new StreamGate(this::take, 10_000);

  public FakeDevice(String id, String userId) {
    this(id, userId, false);
  }

  /** A device that acknowledges ({@code ack=1}) when {@code acknowledges}. */
  public FakeDevice(String id, String userId, boolean acknowledges) {
    this.id = id;
    this.userId = userId;
    this.acknowledges = acknowledges;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public boolean acknowledges() {
    return acknowledges;
  }

  @Override
  public boolean deliver(Outgoing message) {
    calls.incrementAndGet();
    return gate.offer(message);
  }

  @Override
  public void hold(StreamId stream) {
    gate.hold(stream);
  }

  @Override
  public boolean release(StreamId stream, List<Outgoing> replay) {
    return gate.release(stream, replay);
  }

  private boolean take(Outgoing message) {
    if (refusing) {
      return false;
    }
    received.add(message);
    return true;
  }

  /** From now on, refuses every message (as a closed or slow device does). */
  FakeDevice refuse() {
    refusing = true;
    return this;
  }

  /** The messages accepted, in order. */
  public List<Outgoing> received() {
    return List.copyOf(received);
  }

  /** How many times {@link #deliver} was called, including refusals. */
  int deliverCalls() {
    return calls.get();
  }

  @Override
  public String toString() {
    return id;
  }
}
