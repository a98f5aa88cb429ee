package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Delivery;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What one node's devices took of one send, as it answers the node that accepted the send.
 *
 * @param sendId the send answered
 * @param node the node answering
 * @param delivery its devices reached, per user and per channel
 */
record NodeAnswer(UUID sendId, String node, Delivery delivery) {

  private static final ObjectMapper JSON = new ObjectMapper();

  byte[] encode() {
    ObjectNode out = JSON.createObjectNode();
    out.put("s", sendId.toString());
    out.put("n", node);
    out.put("i", delivery.notificationId().toString());
    out.put("d", delivery.deliveredTo());
    ObjectNode users = out.putObject("u");
    delivery.perUser().forEach(users::put);
    ObjectNode channels = out.putObject("c");
    delivery.perChannel().forEach(channels::put);
    try {
      return JSON.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a node's answer", e);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code bytes} are not an answer
   */
  static NodeAnswer decode(byte[] bytes) {
    try {
      JsonNode in = JSON.readTree(bytes);
      Map<String, Integer> users = new LinkedHashMap<>();
      in.path("u").properties().forEach(e -> users.put(e.getKey(), e.getValue().asInt()));
      Map<String, Integer> channels = new LinkedHashMap<>();
      in.path("c").properties().forEach(e -> channels.put(e.getKey(), e.getValue().asInt()));
      return new NodeAnswer(
          UUID.fromString(in.path("s").asText()),
          in.path("n").asText(),
          new Delivery(
              UUID.fromString(in.path("i").asText()),
              in.path("d").asInt(),
              users,
              channels,
              java.util.Set.of()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a node's answer", e);
    }
  }
}
