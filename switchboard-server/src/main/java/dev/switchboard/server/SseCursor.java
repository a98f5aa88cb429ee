package dev.switchboard.server;

import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.StreamId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where an SSE stream stands: the position of every stream it follows, as of the last event
 * written, and that as the event {@code id} ({@link SseEventId}). It starts from the client's
 * {@code Last-Event-ID}, moves with each notification written, and catches up with the positions a
 * join reports. Not thread-safe: one connection's event loop owns it.
 */
final class SseCursor {

  /** Each followed stream's position as of the last event written, in the order first seen. */
  private final LinkedHashMap<StreamId, Position> positions = new LinkedHashMap<>();

  /** The streams whose position came from a notification written on this connection. */
  private final Set<StreamId> written = new HashSet<>();

  private Optional<String> id;

  /**
   * @param resumeFrom the positions of the client's {@code Last-Event-ID}, only of the streams this
   *     connection follows
   */
  SseCursor(List<Position> resumeFrom) {
    resumeFrom.forEach(p -> positions.put(p.stream(), p));
    id = render();
  }

  /** The id of the next event: empty while no stream has a position. */
  Optional<String> id() {
    return id;
  }

  /** A notification at {@code at} is being written. */
  void wrote(Position at) {
    positions.put(at.stream(), at);
    written.add(at.stream());
    id = render();
  }

  /**
   * Takes the positions a join reported: a stream without a position yet, or with only the client's
   * (resumed or not, the join's is newer), takes the join's; one whose position came from a
   * notification written here keeps it, unless the join's is further on in the same epoch (what the
   * user's other devices already took, or what came before this connection subscribed).
   */
  void catchUp(List<Position> at) {
    for (Position p : at) {
      Position current = positions.get(p.stream());
      if (current == null
          || !written.contains(p.stream())
          || (current.epoch().equals(p.epoch()) && current.offset() < p.offset())) {
        positions.put(p.stream(), p);
      }
    }
    id = render();
  }

  private Optional<String> render() {
    return positions.isEmpty()
        ? Optional.empty()
        : Optional.of(SseEventId.format(positions.values()));
  }
}
