package dev.switchboard.redis;

import java.time.Instant;
import java.util.Objects;

/**
 * One live node of the cluster, as its last heartbeat described it ({@link RedisMembership#nodes}).
 *
 * @param nodeId its {@code cluster.node_id}
 * @param connections its devices connected at its last heartbeat
 * @param lastSeen when its last heartbeat was written, by its own clock
 */
public record ClusterNode(String nodeId, int connections, Instant lastSeen) {

  public ClusterNode {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (connections < 0) {
      throw new IllegalArgumentException("connections must not be negative, got " + connections);
    }
  }
}
