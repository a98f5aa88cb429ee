package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Publication;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A publication as the broker carries it between nodes, in three parts joined by a newline: a JSON
 * header (who sent it and which send it answers, the target, the priority, the notification id),
 * the streams' positions ({@code offset:epoch;...}, written by the publish script as it appends, in
 * the order of {@link #streams}), and the message bytes, unchanged. Every node decodes the same
 * bytes; nobody re-encodes the message.
 *
 * @param publisher the node that accepted the send, which sums the answers
 * @param sendId the send, for the answers
 * @param publication what to hand out
 */
record Envelope(String publisher, UUID sendId, Publication publication) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The header the publish script puts in front of the positions and the message. */
  static byte[] header(String publisher, UUID sendId, Publication publication) {
    ObjectNode header = JSON.createObjectNode();
    header.put("n", publisher);
    header.put("s", sendId.toString());
    header.put("i", publication.notificationId().toString());
    header.put("p", publication.priority().name());
    Target target = publication.target();
    header.put("k", target.kind());
    ArrayNode names = header.putArray("t");
    switch (target) {
      case Target.User u -> names.add(u.userId());
      case Target.Users u -> u.userIds().forEach(names::add);
      case Target.Channel c -> names.add(c.name());
      case Target.Channels c -> c.names().forEach(names::add);
      case Target.Broadcast b -> names.add(b.tenant().id());
    }
    try {
      byte[] json = JSON.writeValueAsBytes(header);
      if (indexOf(json, (byte) '\n', 0) >= 0) {
        throw new IllegalStateException("a JSON header without indentation has no newline");
      }
      return json;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an envelope header", e);
    }
  }

  /** The streams a publication to {@code target} is appended to, in the order positions come. */
  static List<StreamId> streams(Target target) {
    List<StreamId> streams = new ArrayList<>();
    switch (target) {
      case Target.User u -> streams.add(new StreamId.Inbox(u.userId()));
      case Target.Users u -> u.userIds().forEach(id -> streams.add(new StreamId.Inbox(id)));
      case Target.Channel c -> streams.add(new StreamId.Channel(c.name()));
      case Target.Channels c -> c.names().forEach(n -> streams.add(new StreamId.Channel(n)));
      case Target.Broadcast b -> {}
    }
    return streams;
  }

  /**
   * Reads what the publish script published.
   *
   * @throws IllegalArgumentException when the bytes are not an envelope
   */
  static Envelope decode(byte[] bytes) {
    int first = indexOf(bytes, (byte) '\n', 0);
    int second = first < 0 ? -1 : indexOf(bytes, (byte) '\n', first + 1);
    if (second < 0) {
      throw new IllegalArgumentException("not an envelope: fewer than three parts");
    }
    JsonNode header;
    try {
      header = JSON.readTree(bytes, 0, first);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an envelope: header is not JSON", e);
    }
    Target target = target(header.path("k").asText(), header.path("t"));
    String positions = new String(bytes, first + 1, second - first - 1, StandardCharsets.US_ASCII);
    byte[] message = java.util.Arrays.copyOfRange(bytes, second + 1, bytes.length);
    Publication publication =
        new Publication(
            target,
            UUID.fromString(header.path("i").asText()),
            Priority.valueOf(header.path("p").asText()),
            message,
            positions(streams(target), positions));
    return new Envelope(
        header.path("n").asText(), UUID.fromString(header.path("s").asText()), publication);
  }

  private static Target target(String kind, JsonNode names) {
    List<String> list = new ArrayList<>();
    names.forEach(n -> list.add(n.asText()));
    if (list.isEmpty()) {
      throw new IllegalArgumentException("not an envelope: no target names");
    }
    return switch (kind) {
      case "user" -> new Target.User(list.getFirst());
      case "users" -> new Target.Users(list);
      case "channel" -> new Target.Channel(list.getFirst());
      case "channels" -> new Target.Channels(list);
      case "broadcast" -> new Target.Broadcast(new Tenant(list.getFirst()));
      default -> throw new IllegalArgumentException("not an envelope: target kind " + kind);
    };
  }

  /** {@code offset:epoch;...} matched to {@code streams} in order. */
  static Map<StreamId, Position> positions(List<StreamId> streams, String text) {
    Map<StreamId, Position> out = new HashMap<>();
    if (streams.isEmpty()) {
      return out;
    }
    String[] parts = text.split(";", -1);
    if (parts.length != streams.size()) {
      throw new IllegalArgumentException(
          "not an envelope: " + parts.length + " positions for " + streams.size() + " streams");
    }
    for (int i = 0; i < parts.length; i++) {
      int colon = parts[i].indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("not an envelope: position " + parts[i]);
      }
      StreamId stream = streams.get(i);
      out.put(
          stream,
          new Position(
              stream, Long.parseLong(parts[i].substring(0, colon)), parts[i].substring(colon + 1)));
    }
    return out;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
