package dev.switchboard.server;

import dev.switchboard.gateway.Names;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code GET /sse} asks for besides its token: {@code ack=1}, {@code channels=a,b}, and
 * where to resume ({@code Last-Event-ID}, else {@code last_event_id=} for clients that cannot set
 * headers).
 *
 * @param acknowledges the device acknowledges what it receives ({@code POST /sse/ack})
 * @param channels the channels to follow, each once, in the order asked
 * @param lastEventId where the client's previous stream stopped, when it said
 */
record SseRequest(boolean acknowledges, List<String> channels, Optional<SseEventId> lastEventId) {

  SseRequest {
    channels = List.copyOf(channels);
  }

  /**
   * Reads a request's query and {@code Last-Event-ID} header ({@code null} when absent).
   *
   * @param maxChannels the most channels one connection may follow
   * @throws IllegalArgumentException saying what is wrong (answered 400)
   */
  static SseRequest read(String query, String lastEventIdHeader, int maxChannels) {
    boolean acknowledges = DeviceAuth.acknowledges(query);
    Set<String> channels = new LinkedHashSet<>();
    String list = DeviceAuth.parameter(query, "channels").orElse("");
    if (!list.isEmpty()) {
      for (String name : list.split(",", -1)) {
        if (!Names.isChannel(name)) {
          throw new IllegalArgumentException(
              "channels: invalid channel name \""
                  + (name.length() > 80 ? name.substring(0, 80) + "..." : name)
                  + "\": use 1-"
                  + Names.MAX_CHANNEL_LENGTH
                  + " letters, digits, '-', '_' and '.', separated by commas");
        }
        channels.add(name);
      }
    }
    if (channels.size() > maxChannels) {
      throw new IllegalArgumentException(
          "channels names "
              + channels.size()
              + " channels; one connection may follow at most "
              + maxChannels
              + " (limits.max_subscriptions_per_connection)");
    }
    Optional<String> id =
        Optional.ofNullable(lastEventIdHeader)
            .filter(h -> !h.isBlank())
            .map(String::strip)
            .or(() -> DeviceAuth.parameter(query, "last_event_id").filter(p -> !p.isBlank()));
    return new SseRequest(acknowledges, new ArrayList<>(channels), id.map(SseEventId::parse));
  }

  /** Where to resume {@code user}'s inbox from, when the last event id names it. */
  Optional<Position> inbox(String user) {
    return lastEventId.flatMap(id -> id.inbox(user));
  }

  /**
   * The channels to recover, with the position to recover after: those the last event id names and
   * that this request follows (a channel no longer followed is forgotten).
   */
  Map<String, Position> recover() {
    Map<String, Position> out = new LinkedHashMap<>();
    lastEventId.ifPresent(
        id ->
            id.channels()
                .forEach(
                    (name, at) -> {
                      if (channels.contains(name)) {
                        out.put(name, at);
                      }
                    }));
    return out;
  }

  /**
   * Where the stream starts, as far as the client said: the inbox's and the recovered channels'
   * positions, in that order; {@code user} is the user's key ({@link Tenant#user}).
   */
  List<Position> resumeFrom(String user) {
    List<Position> out = new ArrayList<>();
    inbox(user).ifPresent(out::add);
    // The cursor follows the streams by their keys: a channel of the user's tenant.
    Tenant tenant = Tenant.ofUser(user);
    recover()
        .forEach(
            (name, at) ->
                out.add(
                    new Position(
                        new StreamId.Channel(tenant.channel(name)), at.offset(), at.epoch())));
    return out;
  }
}
