package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleNotifications.notification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What the specifications of {@link Deliveries} share: one node's registry and deliveries over the
 * in-memory store with small limits (wrapped in a {@link HookedStore} the test can interleave
 * with), a clock the test moves, devices connected as the server connects them, and readers of what
 * a device received. {@code DeliveriesQueueTest}, {@code DeliveriesChannelsTest} and {@code
 * DeliveriesResumeTest} extend it; each test gets a fresh one.
 */
abstract class DeliveriesFixture {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration QUEUE_TTL = Duration.ofMinutes(60);
  static final int HISTORY_SIZE = 3;
  private static final int MAX_SUBSCRIPTIONS = 2;

  final MutableClock clock = new MutableClock(START);
  final Registry registry = new Registry(new RegistryLimits(100, 5, MAX_SUBSCRIPTIONS));
  final HookedStore store =
      new HookedStore(
          DeliveryStore.inMemory(
              new DeliveryLimits(
                  HISTORY_SIZE,
                  Duration.ofMinutes(10),
                  10,
                  10,
                  QUEUE_TTL,
                  10,
                  Duration.ofSeconds(30),
                  100,
                  Duration.ofMinutes(5),
                  100)));
  final Deliveries deliveries = new Deliveries(new Dispatcher(registry), store, clock);

  private final Map<Device, Registry.Reservation> connections = new HashMap<>();

  // ---- connecting devices as the server does ----

  /** Holds the inbox, registers the device, then hands it what its user is owed. */
  Deliveries.Connected connect(FakeDevice device) {
    return connect(device, Optional.empty());
  }

  Deliveries.Connected connect(FakeDevice device, Optional<Position> from) {
    register(device);
    return deliveries.connect(device, from);
  }

  /** The first half of a connection: the inbox held, the device findable. */
  void register(FakeDevice device) {
    device.hold(new StreamId.Inbox(device.userId()));
    Registry.Reservation reservation = registry.reserve(device.userId());
    reservation.activate(device);
    connections.put(device, reservation);
  }

  void disconnect(FakeDevice device) {
    connections.remove(device).close();
  }

  /** A connected device of its own user, subscribed to {@code channels} without recovery. */
  FakeDevice subscriber(String id, String... channels) {
    FakeDevice device = new FakeDevice(id, id);
    connect(device);
    deliveries.subscribe(device, List.of(channels), Map.of());
    return device;
  }

  UUID send(Target target) {
    Notification notification = notification();
    deliveries.publish(target, notification);
    return notification.id();
  }

  UUID sendToUser(String user) {
    return send(new Target.User(user));
  }

  UUID sendToUser(String user, long ttlSeconds) {
    Notification notification =
        Notification.create(
            clock.instant(),
            "order.shipped",
            Json.mapper().createObjectNode().put("order", 17),
            new Metadata("api", Priority.NORMAL, OptionalLong.of(ttlSeconds), Optional.empty()));
    deliveries.publish(new Target.User(user), notification);
    return notification.id();
  }

  Position channelTop(String channel) {
    return store.channels().position(channel, clock.instant());
  }

  static Position withOffset(Position position, long offset) {
    return new Position(position.stream(), offset, position.epoch());
  }

  Position inboxTop(String user) {
    return store.inboxes().position(user, clock.instant());
  }

  // ---- reading what a device received ----

  static JsonNode params(Outgoing message) {
    try {
      return Json.mapper().readTree(message.bytes()).get("params");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids of the notifications {@code device} received, in order. */
  static List<UUID> idsReceivedBy(FakeDevice device) {
    return device.received().stream()
        .map(m -> UUID.fromString(params(m).get("id").asText()))
        .toList();
  }

  /** The offsets in {@code stream} of what {@code device} received, in order. */
  static List<Long> offsetsReceivedBy(FakeDevice device, StreamId stream) {
    return device.received().stream()
        .map(Outgoing::position)
        .flatMap(Optional::stream)
        .filter(p -> p.stream().equals(stream))
        .map(Position::offset)
        .toList();
  }

  /** The stamped offsets in {@code channel} (from the params) of what {@code device} received. */
  static List<Long> stampedOffsetsReceivedBy(FakeDevice device, String channel) {
    return device.received().stream()
        .map(DeliveriesFixture::params)
        .filter(p -> channel.equals(p.path("channel").asText(null)))
        .map(p -> p.get("offset").asLong())
        .toList();
  }

  static List<String> firstFieldNames(JsonNode node, int count) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.subList(0, Math.min(count, names.size()));
  }

  // ---- a store whose reads the test can interleave with ----

  /**
   * The in-memory store, with a hook run after a channel's replay is read (to send something live
   * at that moment) and a channel whose replay fails to read (a shared engine that is down).
   */
  static final class HookedStore extends ForwardingDeliveryStore {
    private volatile Runnable afterChannelSince = () -> {};
    private volatile String failingChannel;

    HookedStore(DeliveryStore delegate) {
      super(delegate);
    }

    /** Runs {@code hook} once, after the next channel replay is read. */
    void afterChannelSince(Runnable hook) {
      afterChannelSince =
          () -> {
            afterChannelSince = () -> {};
            hook.run();
          };
    }

    /** Makes every read of {@code channel}'s history (replay and position) fail. */
    void failChannelSince(String channel) {
      failingChannel = channel;
    }

    private final ChannelHistory channels =
        new Channels() {
          @Override
          public Replay since(String channel, long offset, String epoch, Instant now) {
            if (channel.equals(failingChannel)) {
              throw new SharedStateException("the store is down (test)");
            }
            Replay replay = super.since(channel, offset, epoch, now);
            afterChannelSince.run();
            return replay;
          }

          @Override
          public Position position(String channel, Instant now) {
            if (channel.equals(failingChannel)) {
              throw new SharedStateException("the store is down (test)");
            }
            return super.position(channel, now);
          }
        };

    @Override
    public ChannelHistory channels() {
      return channels;
    }
  }
}
