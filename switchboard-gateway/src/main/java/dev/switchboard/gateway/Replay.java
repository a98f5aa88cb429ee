package dev.switchboard.gateway;

import java.util.List;
import java.util.Objects;

/**
 * What a stream answered when asked for everything after a position.
 *
 * @param recovered true when {@code entries} are every notification after the position asked for,
 *     with no gap: same epoch, and nothing after it was forgotten (expired or pushed out)
 * @param entries the notifications after the position, in offset order; empty when not recovered
 * @param top where the stream stands now (its epoch is the one to use from now on)
 */
public record Replay(boolean recovered, List<StreamEntry> entries, Position top) {

  public Replay {
    entries = List.copyOf(entries);
    Objects.requireNonNull(top, "top");
    if (!recovered && !entries.isEmpty()) {
      throw new IllegalArgumentException("a replay that did not recover carries no entries");
    }
  }
}
