package dev.switchboard.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Holds a device's live notifications of the streams it is catching up on, so that what it missed
 * (a replay read from the store) and what arrived live meanwhile reach it once each, in offset
 * order, and no gap opens between the two.
 *
 * <p>A device {@linkplain #hold holds} a stream before it starts receiving that stream live (before
 * it subscribes, or before it is registered), reads what it missed, then {@linkplain #release
 * releases} the stream with it: the replay and the held notifications are merged by offset, each
 * offset once, and from then on the stream passes straight through. At most {@code maxHeld}
 * notifications are held at once; one more is refused, as a full outbound queue refuses it.
 *
 * <p>After a release, a live notification of that stream at or below the highest offset released is
 * dropped: the replay had it. On one node this never happens (the store's read and the live
 * hand-off are under one lock); in a cluster, a notification appended on another node before the
 * read may reach this node after it. The first live notification above that offset ends the check
 * (a node receives each stream in offset order).
 *
 * <p>Thread-safe. Costs one volatile read per delivery while nothing is held or checked.
 */
public final class StreamGate {

  private final Predicate<Outgoing> out;
  private final int maxHeld;

  /** Guarded by {@code this}: held notifications by stream, in arrival (offset) order. */
  private final Map<StreamId, List<Outgoing>> held = new HashMap<>();

  /** Guarded by {@code this}: the highest offset released, by stream, until passed live. */
  private final Map<StreamId, Long> floors = new HashMap<>();

  private int heldCount;

  /** Whether any stream is held or has a floor; written under {@code this}. */
  private volatile boolean holding;

  /**
   * @param out hands a notification on to the device (its outbound queue); false when refused
   * @param maxHeld how many notifications may wait here at once
   */
  public StreamGate(Predicate<Outgoing> out, int maxHeld) {
    this.out = Objects.requireNonNull(out, "out");
    if (maxHeld < 1) {
      throw new IllegalArgumentException("maxHeld must be at least 1, got " + maxHeld);
    }
    this.maxHeld = maxHeld;
  }

  /**
   * Hands {@code message} on, or keeps it while its stream is held.
   *
   * @return false when refused: by the device, or because {@code maxHeld} are held already
   */
  public boolean offer(Outgoing message) {
    if (!holding) {
      return out.test(message);
    }
    synchronized (this) {
      List<Outgoing> waiting = message.position().map(p -> held.get(p.stream())).orElse(null);
      if (waiting == null) {
        if (message.position().isPresent()) {
          Position p = message.position().get();
          Long floor = floors.get(p.stream());
          if (floor != null) {
            if (p.offset() <= floor) {
              return true;
            }
            floors.remove(p.stream());
            holding = !held.isEmpty() || !floors.isEmpty();
          }
        }
        return out.test(message);
      }
      if (heldCount >= maxHeld) {
        return false;
      }
      waiting.add(message);
      heldCount++;
      return true;
    }
  }

  /** From now on, keeps {@code stream}'s notifications until {@link #release}. */
  public synchronized void hold(StreamId stream) {
    held.putIfAbsent(Objects.requireNonNull(stream, "stream"), new java.util.ArrayList<>());
    holding = true;
  }

  /**
   * Hands on {@code replay} and what was held of {@code stream}, merged by offset (a notification
   * in both goes once), then lets {@code stream} pass straight through. Every message of {@code
   * replay} must carry a position in {@code stream}.
   *
   * @return false when the device refused one of them (it is being disconnected)
   */
  public synchronized boolean release(StreamId stream, List<Outgoing> replay) {
    TreeMap<Long, Outgoing> merged = new TreeMap<>();
    for (Outgoing message : replay) {
      Position p =
          message
              .position()
              .orElseThrow(() -> new IllegalArgumentException(message + " has no position"));
      if (!p.stream().equals(stream)) {
        throw new IllegalArgumentException(message + " is not in " + stream);
      }
      merged.putIfAbsent(p.offset(), message);
    }
    List<Outgoing> live = held.remove(stream);
    if (live != null) {
      heldCount -= live.size();
      live.forEach(m -> merged.putIfAbsent(m.position().orElseThrow().offset(), m));
    }
    boolean all = true;
    for (Outgoing message : merged.values()) {
      all &= out.test(message);
    }
    if (!merged.isEmpty()) {
      floors.put(stream, merged.lastKey());
    }
    // Only now may offers skip the lock: one made meanwhile waited for the replay to go out first.
    holding = !held.isEmpty() || !floors.isEmpty();
    return all;
  }

  /** Whether as many notifications are held as may be: the next one held is refused. */
  public synchronized boolean full() {
    return heldCount >= maxHeld;
  }

  /** Whether {@code stream} is held now. */
  public synchronized boolean holds(StreamId stream) {
    return held.containsKey(stream);
  }
}
