package dev.switchboard.cluster;

import java.util.List;

/**
 * Which node serves which functions with which resources: each node announces its own {@link
 * Offer}s, and sees the other live nodes' ({@link NodeFunctions}).
 *
 * <p>A node that {@linkplain #close() leaves} is gone from the others' view within 1 s; a node that
 * crashes, within 6 s. Without Redis one node is alone ({@link #alone}). Thread-safe.
 */
public interface FunctionDirectory extends AutoCloseable {

  /** This node's id. */
  String nodeId();

  /**
   * Replaces what this node serves; the other nodes see it within 1 s. Never blocks on the network:
   * a shared directory writes in the background and writes again until it succeeds.
   */
  void announce(List<Offer> offers);

  /**
   * The other live nodes and what they serve, as last seen, sorted by node id. Never blocks on the
   * network.
   */
  List<NodeFunctions> others();

  /** Leaves: the other nodes stop seeing this one within 1 s. Idempotent. */
  @Override
  void close();

  /** The directory of a node without a cluster: nobody else, ever. */
  static FunctionDirectory alone(String nodeId) {
    java.util.Objects.requireNonNull(nodeId, "nodeId");
    return new FunctionDirectory() {
      @Override
      public String nodeId() {
        return nodeId;
      }

      @Override
      public void announce(List<Offer> offers) {
        List.copyOf(offers);
      }

      @Override
      public List<NodeFunctions> others() {
        return List.of();
      }

      @Override
      public void close() {}
    };
  }
}
