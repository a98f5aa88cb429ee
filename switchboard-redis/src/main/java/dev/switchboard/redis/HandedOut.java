package dev.switchboard.redis;

import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Publication;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.Replay;
import dev.switchboard.gateway.StreamEntry;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Target;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this node stands in each stream it handed out, so that nothing published while its
 * subscription was down is lost and nothing is handed out twice. Pub/sub delivers nothing to a
 * subscriber that is reconnecting; when the subscription is back, {@link #catchUp} reads what each
 * stream with a device here gained meanwhile from the store, by offset, and hands it out; a
 * publication that then also arrives live is skipped ({@link #unseen}). A stream whose epoch
 * changed (Redis restarted empty) is caught up from the start of its new epoch, all of which came
 * after what this node saw.
 *
 * <p>Used by the broker's one delivery thread only. Remembers at most {@value #MAX_STREAMS}
 * streams, the least recently handed out forgotten first (such a stream is not caught up).
 * Broadcasts have no stream: one published during the gap is lost, as with any pub/sub.
 */
final class HandedOut {

  private static final Logger LOG = LoggerFactory.getLogger(HandedOut.class);

  /** The most streams whose position this node remembers. */
  static final int MAX_STREAMS = 65_536;

  private final Map<StreamId, Position> last =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamId, Position> eldest) {
          return size() > MAX_STREAMS;
        }
      };

  private final Deliveries local;
  private final Clock clock;

  HandedOut(Deliveries local, Clock clock) {
    this.local = local;
    this.clock = clock;
  }

  /**
   * {@code publication} without the streams this node handed out already (at or below the offset it
   * stands at, in the same epoch); empty when nothing of it is new here. Records where each new
   * stream now stands.
   */
  java.util.Optional<Publication> unseen(Publication publication) {
    Map<StreamId, Position> positions = publication.positions();
    if (positions.isEmpty()) {
      return java.util.Optional.of(publication);
    }
    List<StreamId> fresh = new ArrayList<>();
    for (StreamId stream : Envelope.streams(publication.target())) {
      Position at = positions.get(stream);
      Position seen = last.get(stream);
      if (at == null
          || seen == null
          || !seen.epoch().equals(at.epoch())
          || at.offset() > seen.offset()) {
        fresh.add(stream);
        if (at != null) {
          last.put(stream, at);
        }
      }
    }
    if (fresh.size() == positions.size()) {
      return java.util.Optional.of(publication);
    }
    if (fresh.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new Publication(
            narrowed(publication.target(), fresh),
            publication.notificationId(),
            publication.priority(),
            publication.message(),
            positions));
  }

  /** {@code target} reduced to {@code streams} (all of one kind: users' inboxes or channels). */
  private static Target narrowed(Target target, List<StreamId> streams) {
    List<String> names = new ArrayList<>();
    for (StreamId stream : streams) {
      switch (stream) {
        case StreamId.Inbox i -> names.add(i.userId());
        case StreamId.Channel c -> names.add(c.name());
      }
    }
    return switch (target) {
      case Target.Users u -> new Target.Users(names);
      case Target.Channels c -> new Target.Channels(names);
      default -> target;
    };
  }

  /**
   * Hands out what each remembered stream with a device here gained since this node last handed it
   * out, in offset order, as live notifications are. Runs on the delivery thread, so live
   * publications wait behind it and keep their order. A stream whose read fails (Redis refusing
   * calls while its breaker tries again) is tried again, waiting from {@value #RETRY_FIRST_MILLIS}
   * ms doubling to {@value #RETRY_MAX_MILLIS} ms, for up to {@value #GIVE_UP_SECONDS} s; after that
   * it is logged and left to the devices, which can still recover by offset themselves.
   *
   * @return how many notifications it handed out
   */
  int catchUp() throws InterruptedException {
    int handed = 0;
    long giveUp =
        System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
    for (Map.Entry<StreamId, Position> mark : new ArrayList<>(last.entrySet())) {
      long wait = RETRY_FIRST_MILLIS;
      while (true) {
        try {
          handed += catchUp(mark.getKey(), mark.getValue());
          break;
        } catch (RuntimeException e) {
          if (System.nanoTime() > giveUp) {
            LOG.warn(
                "could not catch up {} after the subscription came back: {}",
                mark.getKey(),
                e.toString());
            break;
          }
          Thread.sleep(wait);
          wait = Math.min(RETRY_MAX_MILLIS, wait * 2);
        }
      }
    }
    return handed;
  }

  /** The first wait before a failed catch-up read is tried again. */
  static final long RETRY_FIRST_MILLIS = 100;

  /** The longest wait between tries of a catch-up read. */
  static final long RETRY_MAX_MILLIS = 2_000;

  /** How long a catch-up keeps trying a stream. */
  static final long GIVE_UP_SECONDS = 60;

  /** One stream's catch-up: how many it handed out (none when no device here follows it). */
  private int catchUp(StreamId stream, Position seen) {
    Registry registry = local.dispatcher().registry();
    boolean followed =
        switch (stream) {
          case StreamId.Channel c -> !registry.subscribers(c.name()).isEmpty();
          case StreamId.Inbox i -> !registry.devicesOf(i.userId()).isEmpty();
        };
    if (!followed) {
      return 0;
    }
    Replay replay = since(local.store(), stream, seen, clock.instant());
    int handed = 0;
    for (StreamEntry entry : replay.entries()) {
      Position at = new Position(stream, entry.offset(), replay.top().epoch());
      local.deliver(
          new Publication(
              target(stream),
              entry.notificationId(),
              Priority.HIGH,
              entry.message(),
              Map.of(stream, at)));
      last.put(stream, at);
      handed++;
    }
    return handed;
  }

  /** After {@code seen}, or the whole stream when its epoch is not {@code seen}'s any more. */
  private static Replay since(DeliveryStore store, StreamId stream, Position seen, Instant now) {
    Replay replay = read(store, stream, seen.offset(), seen.epoch(), now);
    if (!replay.recovered() && !replay.top().epoch().equals(seen.epoch())) {
      replay = read(store, stream, 0, replay.top().epoch(), now);
    }
    return replay;
  }

  private static Replay read(
      DeliveryStore store, StreamId stream, long offset, String epoch, Instant now) {
    return switch (stream) {
      case StreamId.Channel c -> store.channels().since(c.name(), offset, epoch, now);
      case StreamId.Inbox i -> store.inboxes().since(i.userId(), offset, epoch, now);
    };
  }

  private static Target target(StreamId stream) {
    return switch (stream) {
      case StreamId.Channel c -> new Target.Channel(c.name());
      case StreamId.Inbox i -> new Target.User(i.userId());
    };
  }
}
