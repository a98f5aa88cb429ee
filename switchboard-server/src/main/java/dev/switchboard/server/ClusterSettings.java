package dev.switchboard.server;

import dev.switchboard.cluster.Offer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether this node is one of a cluster, and how it reaches the others.
 *
 * @param redisUrl {@code redis.url}: the Redis every node of the cluster shares; empty runs the
 *     in-memory engine (this node is the whole cluster)
 * @param nodeId {@code cluster.node_id}: this node's name; empty means this host's name and port
 * @param resources {@code cluster.resources}: the resources (tags) of this node's in-process
 *     functions
 * @param address {@code cluster.address}: where the other nodes' links reach this node ({@code
 *     ws://host:port/ws}); empty means this host's name and the server's port
 */
public record ClusterSettings(
    Optional<String> redisUrl,
    Optional<String> nodeId,
    List<String> resources,
    Optional<String> address) {

  /** One node, in memory. */
  public static final ClusterSettings SINGLE_NODE =
      new ClusterSettings(Optional.empty(), Optional.empty(), List.of(), Optional.empty());

  public ClusterSettings {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(nodeId, "nodeId");
    resources = List.copyOf(resources);
    resources.forEach(Offer::checkResource);
    Objects.requireNonNull(address, "address");
  }

  /** A node of the cluster sharing the Redis at {@code url}. */
  public static ClusterSettings redis(String url) {
    return new ClusterSettings(Optional.of(url), Optional.empty(), List.of(), Optional.empty());
  }

  /** These settings with {@code id} as this node's name. */
  public ClusterSettings withNodeId(String id) {
    return new ClusterSettings(redisUrl, Optional.of(id), resources, address);
  }

  /** These settings with {@code tags} as the resources of this node's in-process functions. */
  public ClusterSettings withResources(List<String> tags) {
    return new ClusterSettings(redisUrl, nodeId, tags, address);
  }

  /** These settings with {@code uri} as the address the other nodes' links connect to. */
  public ClusterSettings withAddress(String uri) {
    return new ClusterSettings(redisUrl, nodeId, resources, Optional.of(uri));
  }
}
