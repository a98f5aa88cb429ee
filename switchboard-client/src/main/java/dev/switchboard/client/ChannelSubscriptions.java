package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Params;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PushClient}'s channels: each one's handler, and the place in its stream of the last
 * notification seen (offset and epoch), to recover from after a reconnect. Thread-safe.
 */
final class ChannelSubscriptions {
  private static final Logger log = LoggerFactory.getLogger(ChannelSubscriptions.class);

  private record Position(long offset, String epoch) {}

  private final Map<String, Consumer<PushNotification>> handlers = new ConcurrentHashMap<>();
  private final Map<String, Position> positions = new ConcurrentHashMap<>();

  /** False when {@code channel} has a handler already. */
  boolean add(String channel, Consumer<PushNotification> handler) {
    return handlers.putIfAbsent(channel, handler) == null;
  }

  /** False when {@code handler} was not {@code channel}'s (removed already). */
  boolean remove(String channel, Consumer<PushNotification> handler) {
    if (handlers.remove(channel, handler)) {
      positions.remove(channel);
      return true;
    }
    return false;
  }

  List<String> channels() {
    return List.copyOf(handlers.keySet());
  }

  Optional<Consumer<PushNotification>> handler(String channel) {
    return Optional.ofNullable(handlers.get(channel));
  }

  /** A notification arrived: its channel's place moves on. */
  void seen(PushNotification n) {
    if (n.channel().isPresent() && n.offset().isPresent() && n.epoch().isPresent()) {
      positions.put(n.channel().get(), new Position(n.offset().getAsLong(), n.epoch().get()));
    }
  }

  /** {@code subscribe}'s params for {@code channels}, recovering those with a known place. */
  Params subscribeParams(List<String> channels) {
    ObjectNode params = Json.nodes().objectNode();
    params.putArray("channels").addAll(channels.stream().map(Json.nodes()::textNode).toList());
    ObjectNode recover = Json.nodes().objectNode();
    for (String channel : channels) {
      Position p = positions.get(channel);
      if (p != null) {
        recover.putObject(channel).put("offset", p.offset()).put("epoch", p.epoch());
      }
    }
    if (!recover.isEmpty()) {
      params.set("recover", recover);
    }
    return Params.from(params);
  }

  /**
   * {@code subscribe}'s answer: logs the channels that could not be recovered, and takes the places
   * of those that had none yet (later notifications move them on).
   */
  void answered(JsonNode answer) {
    answer
        .path("recovered")
        .properties()
        .forEach(
            r -> {
              if (!r.getValue().asBoolean()) {
                log.warn(
                    "{}: not recovered (the server restarted or forgot what was missed)",
                    r.getKey());
              }
            });
    answer
        .path("positions")
        .properties()
        .forEach(
            p ->
                positions.putIfAbsent(
                    p.getKey(),
                    new Position(
                        p.getValue().path("offset").asLong(),
                        p.getValue().path("epoch").asText())));
  }
}
