package dev.switchboard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A {@link FunctionDirectory} hub for the nodes of one JVM: each node {@linkplain #join joins} it
 * and sees the others at once, their last announced offers and their load as it is when asked. A
 * node that closes is gone at once. The reference semantics of a shared directory, for tests and
 * for nodes that share a process.
 *
 * <p>Thread-safe: nodes join, announce, read and close from any threads.
 */
public final class InMemoryFunctionDirectories {

  /** The joined, not yet closed, nodes by id; sorted, so that {@code others()} is. */
  private final ConcurrentNavigableMap<String, Member> members = new ConcurrentSkipListMap<>();

  /** An empty hub: nobody has joined. */
  public InMemoryFunctionDirectories() {}

  /**
   * Joins {@code nodeId} to this hub, with no offers until it {@linkplain
   * FunctionDirectory#announce announces}.
   *
   * @param address where the node's link connects, reported to the others as it is
   * @param load the calls the node's providers are running, read whenever another node asks
   * @throws IllegalStateException when a node of that id has joined and not closed
   */
  public FunctionDirectory join(String nodeId, String address, LongSupplier load) {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(load, "load");
    Member member = new Member(nodeId, address, load);
    if (members.putIfAbsent(nodeId, member) != null) {
      throw new IllegalStateException(
          "node \"" + nodeId + "\" has already joined this directory and not left");
    }
    return member;
  }

  /** One node's membership, and its view of the others. */
  private final class Member implements FunctionDirectory {
    private final String nodeId;
    private final String address;
    private final LongSupplier load;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** What this node last announced; written by any thread, read by the others. */
    private volatile List<Offer> offers = List.of();

    Member(String nodeId, String address, LongSupplier load) {
      this.nodeId = nodeId;
      this.address = address;
      this.load = load;
    }

    @Override
    public String nodeId() {
      return nodeId;
    }

    @Override
    public void announce(List<Offer> offers) {
      Objects.requireNonNull(offers, "offers");
      List<Offer> copy = List.copyOf(offers);
      if (!closed.get()) {
        this.offers = copy;
      }
    }

    @Override
    public List<NodeFunctions> others() {
      if (closed.get()) {
        return List.of();
      }
      List<NodeFunctions> others = new ArrayList<>();
      for (Member other : members.values()) {
        if (other != this) {
          others.add(
              new NodeFunctions(other.nodeId, other.address, other.offers, other.load.getAsLong()));
        }
      }
      return List.copyOf(others);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        members.remove(nodeId, this);
      }
    }

    @Override
    public String toString() {
      return "InMemoryFunctionDirectory[" + nodeId + (closed.get() ? ", closed]" : "]");
    }
  }
}
