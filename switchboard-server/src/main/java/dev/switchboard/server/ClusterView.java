package dev.switchboard.server;

import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.Tenant;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as the HTTP API reports it ({@code /api/v1/cluster/*}, the Redis component of {@code
 * /health}): this node's name, the live nodes, where a user is connected. With the in-memory engine
 * this node is the whole cluster.
 */
interface ClusterView {

  /** This node's name. */
  String nodeId();

  /** {@code memory} or {@code redis}. */
  String engine();

  /** The live nodes, this one included, sorted by name. May block (virtual threads only). */
  List<Node> nodes();

  /**
   * The nodes {@code userKey} is connected to, with the connections on each. May block.
   *
   * @param userKey the user's key in its tenant ({@code Tenant.user})
   */
  Map<String, Integer> userNodes(String userKey);

  /** {@code tenant}'s connections, users and channels on this node alone. */
  Presence.Counts localCounts(Tenant tenant);

  /** Why the shared store cannot be reached now; empty while it can (always, in memory). */
  Optional<String> problem();

  /** The in-memory engine's cluster: this node alone, named {@code nodeId}. */
  static ClusterView singleNode(String nodeId, Presence presence, Clock clock) {
    return singleNode(nodeId, presence, presence::counts, clock);
  }

  /** The in-memory engine's cluster, this node's counts per tenant read by {@code localCounts}. */
  static ClusterView singleNode(
      String nodeId,
      Presence presence,
      java.util.function.Function<Tenant, Presence.Counts> localCounts,
      Clock clock) {
    return new ClusterView() {
      @Override
      public String nodeId() {
        return nodeId;
      }

      @Override
      public String engine() {
        return "memory";
      }

      @Override
      public List<Node> nodes() {
        return List.of(new Node(nodeId, presence.counts().connections(), clock.instant()));
      }

      @Override
      public Map<String, Integer> userNodes(String userKey) {
        return presence.user(userKey).map(u -> Map.of(nodeId, u.connections())).orElse(Map.of());
      }

      @Override
      public Presence.Counts localCounts(Tenant tenant) {
        return localCounts.apply(tenant);
      }

      @Override
      public Optional<String> problem() {
        return Optional.empty();
      }
    };
  }

  /**
   * One live node.
   *
   * @param connections its connections, as it last told
   * @param lastSeen when it last told
   */
  record Node(String nodeId, int connections, Instant lastSeen) {}
}
