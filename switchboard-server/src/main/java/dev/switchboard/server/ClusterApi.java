package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ara's cluster API: {@code GET /api/v1/cluster/status} and {@code GET /api/v1/cluster/users/{id}},
 * as one tenant sees them (its presence, its counts; each node's whole count only for the default
 * tenant, the operator's view). May block on the shared engine: virtual threads only.
 */
final class ClusterApi {

  private ClusterApi() {}

  /**
   * {@code node_id}, {@code nodes}, {@code healthy_nodes}, {@code total_connections} (the tenant's,
   * in the cluster), this node's share of them, and each node's details for the default tenant.
   */
  static JsonNode status(ClusterView cluster, Presence presence, Tenant tenant) {
    Presence.Counts counts = presence.counts();
    Presence.Counts local = cluster.localCounts(tenant);
    List<ClusterView.Node> nodes = cluster.nodes();
    ObjectNode out = Json.nodes().objectNode().put("node_id", cluster.nodeId());
    ArrayNode ids = out.putArray("nodes");
    nodes.forEach(n -> ids.add(n.nodeId()));
    boolean redis = cluster.engine().equals("redis");
    out.put("healthy_nodes", nodes.size())
        .put("total_connections", counts.connections())
        .put("enabled", redis)
        .put("mode", redis ? "cluster" : "standalone")
        .put("engine", cluster.engine())
        .put("local_connections", local.connections())
        .put("local_users", local.users());
    if (tenant.isDefault()) {
      ArrayNode details = out.putArray("node_details");
      for (ClusterView.Node n : nodes) {
        details
            .addObject()
            .put("node_id", n.nodeId())
            .put("connections", n.connections())
            .put("last_seen", n.lastSeen().toString());
      }
    }
    return out;
  }

  /**
   * {@code user_id}, {@code found}, the first node it is on ({@code node_id}, Ara's field), every
   * node with its connections there, the user's connections and channels.
   */
  static JsonNode user(ClusterView cluster, Presence presence, Tenant tenant, String user) {
    Optional<Presence.User> present = presence.user(user);
    Map<String, Integer> where = cluster.userNodes(tenant.user(user));
    ObjectNode out =
        Json.nodes().objectNode().put("user_id", user).put("found", present.isPresent());
    where.keySet().stream().findFirst().ifPresent(node -> out.put("node_id", node));
    ArrayNode nodes = out.putArray("nodes");
    where.forEach((node, n) -> nodes.addObject().put("node_id", node).put("connections", n));
    out.put("connections", present.map(Presence.User::connections).orElse(0));
    ArrayNode channels = out.putArray("channels");
    present.ifPresent(p -> p.channels().forEach(channels::add));
    return out;
  }
}
