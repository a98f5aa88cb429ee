package dev.switchboard.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The delivery guarantees of one node, over its {@link Dispatcher} and a {@link DeliveryStore}:
 * sends go into their streams (each channel's, each user's inbox) before they reach devices; a
 * connecting device gets what its user is owed first; a subscription may recover what a device
 * missed; ACKs settle what waits for them.
 *
 * <p>Every stream's appends and live deliveries are ordered: one lock per stream (striped) covers
 * taking the next offset and handing the notification to this node's devices, so devices see a
 * stream's notifications in offset order. A device catching up {@linkplain Device#hold holds} the
 * stream while it reads what it missed, so that the replay and what arrived meanwhile merge by
 * offset with no gap and no duplicate.
 *
 * <p>Thread-safe. Methods may block on the store (a networked one); call them from virtual threads,
 * never from an event loop.
 */
public final class Deliveries {

  private static final int LOCK_STRIPES = 256;

  private final Dispatcher dispatcher;
  private final DeliveryStore store;
  private final Clock clock;
  private final DeliveryObserver observer;
  private final Object[] locks = new Object[LOCK_STRIPES];

  public Deliveries(Dispatcher dispatcher, DeliveryStore store, Clock clock) {
    this(dispatcher, store, clock, DeliveryObserver.NONE);
  }

  /**
   * @param observer sees each dispatch, enqueue, replay and ACK
   */
  public Deliveries(
      Dispatcher dispatcher, DeliveryStore store, Clock clock, DeliveryObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public DeliveryStore store() {
    return store;
  }

  /**
   * Sends {@code notification} on this node: appends it to every stream {@code target} names and
   * hands it to their devices, stream by stream. A user none of whose devices took it keeps it in
   * their inbox ({@link Delivery#queued}).
   */
  public Delivery publish(Target target, Notification notification) {
    DeliveryObserver.Step step = observer.dispatching(target, notification);
    Delivery delivery = dispatch(target, notification);
    step.ended(delivery.deliveredTo());
    return delivery;
  }

  private Delivery dispatch(Target target, Notification notification) {
    Publication publication = dispatcher.accept(target, notification);
    Instant now = clock.instant();
    return handOut(
        publication,
        Optional.of(new Appending(notification, now.plus(store.limits().inboxTtl(notification)))),
        now);
  }

  /**
   * Hands a publication that a shared store already appended to its streams to this node's devices:
   * what a cluster broker runs on every node, in the order the store gave the offsets. Each
   * stream's hand-off holds the same lock as on a single node, so a device catching up merges it
   * with its replay as it would there; an inbox entry a device here took is settled (delivered, or
   * awaiting the device's ACK). The answer counts this node's devices; {@link Delivery#queued} is
   * left to the sender, who sums every node's answer.
   */
  public Delivery deliver(Publication publication) {
    return handOut(publication, Optional.empty(), clock.instant());
  }

  /** A send this node appends to its streams itself, as it hands it out. */
  private record Appending(Notification notification, Instant inboxExpiry) {}

  /**
   * Hands {@code publication} to this node's devices stream by stream; with {@code appending},
   * first appends it to each stream under the same lock.
   */
  private Delivery handOut(Publication publication, Optional<Appending> appending, Instant now) {
    Outgoing message = Outgoing.notification(publication.message(), publication.priority());
    Map<String, Integer> perUser = new LinkedHashMap<>();
    Map<String, Integer> perChannel = new LinkedHashMap<>();
    int total =
        switch (publication.target()) {
          case Target.User u -> toUser(u.userId(), publication, message, appending, now, perUser);
          case Target.Users u -> {
            int sum = 0;
            for (String user : u.userIds()) {
              sum += toUser(user, publication, message, appending, now, perUser);
            }
            yield sum;
          }
          case Target.Broadcast b -> dispatcher.deliverToAll(b.tenant(), message);
          case Target.Channel c -> {
            int n = toChannel(c.name(), publication, appending, now, null);
            perChannel.put(c.name(), n);
            yield n;
          }
          case Target.Channels c -> {
            Map<Device, Boolean> outcomes = new HashMap<>();
            for (String name : c.names()) {
              perChannel.put(name, toChannel(name, publication, appending, now, outcomes));
            }
            yield Dispatcher.reached(outcomes);
          }
        };
    Set<String> queued = new LinkedHashSet<>();
    if (appending.isPresent()) {
      perUser.forEach(
          (user, devices) -> {
            if (devices == 0) {
              queued.add(user);
            }
          });
    }
    return new Delivery(publication.notificationId(), total, perUser, perChannel, queued);
  }

  private int toUser(
      String user,
      Publication publication,
      Outgoing message,
      Optional<Appending> appending,
      Instant now,
      Map<String, Integer> perUser) {
    Inboxes inboxes = store.inboxes();
    StreamId inbox = new StreamId.Inbox(user);
    DeliveryObserver.Step step =
        appending
            .map(a -> observer.enqueuing(user, a.notification()))
            .orElse(DeliveryObserver.Step.NONE);
    Dispatcher.Reach reach;
    synchronized (lock(inbox)) {
      Optional<Position> at =
          appending.isPresent()
              ? Optional.of(
                  inboxes.append(
                      user,
                      publication.notificationId(),
                      message.bytes(),
                      appending.get().inboxExpiry(),
                      now))
              : Optional.ofNullable(publication.positions().get(inbox));
      reach = dispatcher.deliverToUser(user, at.map(message::at).orElse(message));
      if (reach.devices() > 0 && at.isPresent()) {
        inboxes.delivered(user, at.get().offset(), reach.acknowledging(), now);
      }
    }
    if (reach.devices() > 0) {
      store.acks().delivered(user, publication.notificationId(), now);
    }
    step.ended(reach.devices());
    perUser.put(user, reach.devices());
    return reach.devices();
  }

  private int toChannel(
      String channel,
      Publication publication,
      Optional<Appending> appending,
      Instant now,
      Map<Device, Boolean> outcomes) {
    StreamId stream = new StreamId.Channel(channel);
    synchronized (lock(stream)) {
      Publication placed = publication;
      if (appending.isPresent()) {
        Position at =
            store
                .channels()
                .append(channel, publication.notificationId(), publication.message(), now);
        placed = publication.in(Map.of(stream, at));
      }
      return dispatcher.deliverToChannel(channel, placed.stamped(channel), outcomes);
    }
  }

  /**
   * Hands a device that just connected what its user is owed: the queued notifications and those
   * waiting for an ACK, in order, before anything new. The device must {@linkplain Device#hold
   * hold} its inbox before it is registered; this releases it. With {@code from} (an SSE
   * reconnect's last event), it gets everything after that position instead, when the inbox still
   * holds all of it; else what it is owed. A device that {@linkplain Device#acknowledges
   * acknowledges} and resumes gets what its user still owes an ACK for too, even from before {@code
   * from}: having received a notification is not having processed it.
   *
   * @return whether it resumed from {@code from}, and where the inbox stands
   */
  public Connected connect(Device device, Optional<Position> from) {
    DeliveryObserver.Step step = observer.replaying(device.userId());
    Connected connected = replay(device, from);
    step.ended(connected.replayed());
    return connected;
  }

  private Connected replay(Device device, Optional<Position> from) {
    String user = device.userId();
    StreamId inbox = new StreamId.Inbox(user);
    Instant now = clock.instant();
    Inboxes inboxes = store.inboxes();
    List<StreamEntry> entries;
    Position top;
    boolean resumed;
    synchronized (lock(inbox)) {
      try {
        Optional<Replay> since =
            from.map(p -> inboxes.since(user, p.offset(), p.epoch(), now))
                .filter(Replay::recovered);
        resumed = since.isPresent();
        if (resumed) {
          entries =
              device.acknowledges()
                  ? withOwed(inboxes.owed(user, now), since.get().entries())
                  : since.get().entries();
          top = since.get().top();
        } else {
          top = inboxes.position(user, now);
          entries = inboxes.owed(user, now);
        }
      } catch (RuntimeException e) {
        device.release(inbox, List.of());
        throw e;
      }
      List<Outgoing> messages = new ArrayList<>();
      for (StreamEntry entry : entries) {
        messages.add(
            Outgoing.notification(
                entry.message(), Priority.HIGH, new Position(inbox, entry.offset(), top.epoch())));
      }
      if (device.release(inbox, messages)) {
        for (StreamEntry entry : entries) {
          inboxes.delivered(user, entry.offset(), device.acknowledges(), now);
          store.acks().delivered(user, entry.notificationId(), now);
        }
      }
      return new Connected(resumed, entries.size(), top);
    }
  }

  /** {@code owed} and {@code since} merged in offset order, each offset once. */
  private static List<StreamEntry> withOwed(List<StreamEntry> owed, List<StreamEntry> since) {
    TreeMap<Long, StreamEntry> merged = new TreeMap<>();
    owed.forEach(e -> merged.put(e.offset(), e));
    since.forEach(e -> merged.putIfAbsent(e.offset(), e));
    return List.copyOf(merged.values());
  }

  /**
   * What {@link #connect} did.
   *
   * @param resumed true when it delivered everything after the position asked for
   * @param replayed how many notifications it delivered from the inbox
   * @param inbox where the user's inbox stands
   */
  public record Connected(boolean resumed, int replayed, Position inbox) {}

  /**
   * Subscribes {@code device} to {@code channels}, names of its tenant (that of its user; the
   * answer names them so too) (all or none, as {@link Registry#subscribe}), first recovering what
   * it missed on the channels of {@code recover}: everything after the given position, delivered
   * before anything live, when the channel's history still holds all of it.
   *
   * @throws IllegalArgumentException when {@code recover} names a channel not in {@code channels}
   * @throws LimitExceededException as {@link Registry#subscribe}
   */
  public Subscribed subscribe(Device device, List<String> channels, Map<String, Position> recover) {
    Tenant tenant = Tenant.ofUser(device.userId());
    Subscribed done = subscribeKeys(device, tenant.channels(channels), scoped(tenant, recover));
    Map<String, Boolean> recovered = new LinkedHashMap<>();
    Map<String, Position> positions = new LinkedHashMap<>();
    done.recovered().forEach((key, ok) -> recovered.put(Tenant.channelName(key), ok));
    done.positions().forEach((key, at) -> positions.put(Tenant.channelName(key), at));
    return new Subscribed(
        done.subscribed().stream().map(Tenant::channelName).toList(), recovered, positions);
  }

  /**
   * Unsubscribes {@code device} from {@code channels}, names of its tenant (that of its user).
   *
   * @return the channels, as {@link Registry#unsubscribe} answers, as the device names them
   */
  public List<String> unsubscribe(Device device, List<String> channels) {
    Tenant tenant = Tenant.ofUser(device.userId());
    return dispatcher.registry().unsubscribe(device, tenant.channels(channels)).stream()
        .map(Tenant::channelName)
        .toList();
  }

  private static Map<String, Position> scoped(Tenant tenant, Map<String, Position> recover) {
    Map<String, Position> out = new LinkedHashMap<>();
    recover.forEach((name, at) -> out.put(tenant.channel(name), at));
    return out;
  }

  private Subscribed subscribeKeys(
      Device device, List<String> channels, Map<String, Position> recover) {
    for (String name : recover.keySet()) {
      if (!channels.contains(name)) {
        throw new IllegalArgumentException(
            "recover names channel "
                + Names.quote(Tenant.channelName(name))
                + ", which is not in channels");
      }
    }
    List<StreamId> held = new ArrayList<>();
    recover.keySet().forEach(name -> held.add(new StreamId.Channel(name)));
    held.forEach(device::hold);
    List<String> subscribed;
    try {
      subscribed = dispatcher.registry().subscribe(device, channels);
    } catch (RuntimeException e) {
      held.forEach(stream -> device.release(stream, List.of()));
      throw e;
    }
    Instant now = clock.instant();
    ChannelHistory history = store.channels();
    Map<String, Boolean> recovered = new LinkedHashMap<>();
    Map<String, Position> positions = new LinkedHashMap<>();
    for (String name : subscribed) {
      Position from = recover.get(name);
      if (from == null) {
        try {
          positions.put(name, history.position(name, now));
        } catch (SharedStateException e) {
          // The subscription stands (the registry has it, live notifications flow); only where
          // the stream stands cannot be told while a shared store is down.
        }
        continue;
      }
      StreamId stream = new StreamId.Channel(name);
      synchronized (lock(stream)) {
        Replay replay;
        try {
          replay = history.since(name, from.offset(), from.epoch(), now);
        } catch (RuntimeException e) {
          held.forEach(s -> device.release(s, List.of()));
          throw e;
        }
        List<Outgoing> messages = new ArrayList<>();
        for (StreamEntry entry : replay.entries()) {
          Position at = new Position(stream, entry.offset(), replay.top().epoch());
          messages.add(
              Outgoing.notification(
                  Notification.stamp(
                      entry.message(), Tenant.channelName(name), entry.offset(), at.epoch()),
                  Priority.HIGH,
                  at));
        }
        device.release(stream, messages);
        held.remove(stream);
        recovered.put(name, replay.recovered());
        positions.put(name, replay.top());
      }
    }
    return new Subscribed(subscribed, recovered, positions);
  }

  /**
   * What {@link #subscribe} did.
   *
   * @param subscribed the channels, as {@link Registry#subscribe} answers
   * @param recovered for each channel asked to recover: whether everything after its position was
   *     delivered
   * @param positions where each subscribed channel's stream stands; a channel is missing when a
   *     shared store could not tell (down) and it was not asked to recover
   */
  public record Subscribed(
      List<String> subscribed, Map<String, Boolean> recovered, Map<String, Position> positions) {
    public Subscribed {
      subscribed = List.copyOf(subscribed);
      recovered = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recovered));
      positions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(positions));
    }
  }

  /**
   * {@code userId} acknowledges {@code notificationId}: it is never owed again and counts in the
   * ACK statistics.
   *
   * @return false when nothing of that user waits for it (never sent to them, forgotten, or a
   *     channel's notification): nothing changed
   */
  public boolean ack(String userId, UUID notificationId) {
    Instant now = clock.instant();
    Acks.Acked tracked = store.acks().acknowledge(userId, notificationId, now);
    tracked.latency().ifPresent(observer::acknowledged);
    boolean inInbox = store.inboxes().ack(userId, notificationId, now).isPresent();
    return tracked.outcome() != Acks.Outcome.UNKNOWN || inInbox;
  }

  private Object lock(StreamId stream) {
    return locks[Math.floorMod(stream.hashCode(), LOCK_STRIPES)];
  }
}
