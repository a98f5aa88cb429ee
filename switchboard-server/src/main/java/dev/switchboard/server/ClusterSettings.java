package dev.switchboard.server;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether this node is one of a cluster, and how it reaches the others.
 *
 * @param redisUrl {@code redis.url}: the Redis every node of the cluster shares; empty runs the
 *     in-memory engine (this node is the whole cluster)
 * @param nodeId {@code cluster.node_id}: this node's name; empty means this host's name and port
 */
public record ClusterSettings(Optional<String> redisUrl, Optional<String> nodeId) {

  /** One node, in memory. */
  public static final ClusterSettings SINGLE_NODE =
      new ClusterSettings(Optional.empty(), Optional.empty());

  public ClusterSettings {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(nodeId, "nodeId");
  }

  /** A node of the cluster sharing the Redis at {@code url}. */
  public static ClusterSettings redis(String url) {
    return new ClusterSettings(Optional.of(url), Optional.empty());
  }

  /** These settings with {@code id} as this node's name. */
  public ClusterSettings withNodeId(String id) {
    return new ClusterSettings(redisUrl, Optional.of(id));
  }
}
