package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleNotifications.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;

/**
 * The delivery guarantees of one node: the offline queue (a user's inbox), at-least-once delivery
 * for devices that acknowledge, inbox TTLs, channel streams stamped with their position, recovery
 * of what a subscriber missed, and an SSE reconnect resuming after its last event. Time is a clock
 * the test moves; the store is the in-memory one with small limits.
 */
class DeliveriesTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration QUEUE_TTL = Duration.ofMinutes(60);
  private static final int HISTORY_SIZE = 3;
  private static final int MAX_SUBSCRIPTIONS = 2;

  private final MutableClock clock = new MutableClock(START);
  private final Registry registry = new Registry(new RegistryLimits(100, 5, MAX_SUBSCRIPTIONS));
  private final HookedStore store =
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
  private final Deliveries deliveries = new Deliveries(new Dispatcher(registry), store, clock);

  private final Map<Device, Registry.Reservation> connections = new HashMap<>();

  // ---- fixture: connecting devices as the server does ----

  /** Holds the inbox, registers the device, then hands it what its user is owed. */
  private Deliveries.Connected connect(FakeDevice device) {
    return connect(device, Optional.empty());
  }

  private Deliveries.Connected connect(FakeDevice device, Optional<Position> from) {
    register(device);
    return deliveries.connect(device, from);
  }

  /** The first half of a connection: the inbox held, the device findable. */
  private void register(FakeDevice device) {
    device.hold(new StreamId.Inbox(device.userId()));
    Registry.Reservation reservation = registry.reserve(device.userId());
    reservation.activate(device);
    connections.put(device, reservation);
  }

  private void disconnect(FakeDevice device) {
    connections.remove(device).close();
  }

  /** A connected device of its own user, subscribed to {@code channels} without recovery. */
  private FakeDevice subscriber(String id, String... channels) {
    FakeDevice device = new FakeDevice(id, id);
    connect(device);
    deliveries.subscribe(device, List.of(channels), Map.of());
    return device;
  }

  private UUID send(Target target) {
    Notification notification = notification();
    deliveries.publish(target, notification);
    return notification.id();
  }

  private UUID sendToUser(String user) {
    return send(new Target.User(user));
  }

  private UUID sendToUser(String user, long ttlSeconds) {
    Notification notification =
        Notification.create(
            clock.instant(),
            "order.shipped",
            Json.mapper().createObjectNode().put("order", 17),
            new Metadata("api", Priority.NORMAL, OptionalLong.of(ttlSeconds), Optional.empty()));
    deliveries.publish(new Target.User(user), notification);
    return notification.id();
  }

  private Position channelTop(String channel) {
    return store.channels().position(channel, clock.instant());
  }

  private static Position withOffset(Position position, long offset) {
    return new Position(position.stream(), offset, position.epoch());
  }

  private Position inboxTop(String user) {
    return store.inboxes().position(user, clock.instant());
  }

  // ---- fixture: reading what a device received ----

  private static JsonNode params(Outgoing message) {
    try {
      return Json.mapper().readTree(message.bytes()).get("params");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids of the notifications {@code device} received, in order. */
  private static List<UUID> idsReceivedBy(FakeDevice device) {
    return device.received().stream()
        .map(m -> UUID.fromString(params(m).get("id").asText()))
        .toList();
  }

  /** The offsets in {@code stream} of what {@code device} received, in order. */
  private static List<Long> offsetsReceivedBy(FakeDevice device, StreamId stream) {
    return device.received().stream()
        .map(Outgoing::position)
        .flatMap(Optional::stream)
        .filter(p -> p.stream().equals(stream))
        .map(Position::offset)
        .toList();
  }

  /** The stamped offsets in {@code channel} (from the params) of what {@code device} received. */
  private static List<Long> stampedOffsetsReceivedBy(FakeDevice device, String channel) {
    return device.received().stream()
        .map(DeliveriesTest::params)
        .filter(p -> channel.equals(p.path("channel").asText(null)))
        .map(p -> p.get("offset").asLong())
        .toList();
  }

  private static List<String> firstFieldNames(JsonNode node, int count) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.subList(0, Math.min(count, names.size()));
  }

  // ---- the offline queue ----

  @Test
  void aSendToAUserWithoutDevicesIsQueuedForThem() {
    Delivery delivery = deliveries.publish(new Target.User("alice"), notification());

    assertThat(delivery.queued()).containsExactly("alice");
    assertThat(delivery.queuedFor("alice")).isTrue();
    assertThat(delivery.deliveredTo()).isZero();
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 0));
  }

  @Test
  void aSendToUsersQueuesOnlyForThoseWithoutDevices() {
    FakeDevice bobPhone = new FakeDevice("bob-phone", "bob");
    connect(bobPhone);

    Delivery delivery =
        deliveries.publish(new Target.Users(List.of("alice", "bob")), notification());

    assertThat(delivery.queued()).containsExactly("alice");
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 0), Map.entry("bob", 1));
    assertThat(bobPhone.received()).hasSize(1);
  }

  @Test
  void theNextConnectionGetsTheQueuedNotificationsFirstInOrder() {
    UUID first = sendToUser("alice");
    UUID second = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    Deliveries.Connected connected = connect(phone);
    UUID third = sendToUser("alice");

    assertThat(idsReceivedBy(phone)).containsExactly(first, second, third);
    assertThat(offsetsReceivedBy(phone, new StreamId.Inbox("alice"))).containsExactly(1L, 2L, 3L);
    assertThat(phone.received())
        .allSatisfy(
            m ->
                assertThat(m.position().orElseThrow().epoch())
                    .isEqualTo(inboxTop("alice").epoch()));
    assertThat(connected.resumed()).isFalse();
    assertThat(connected.replayed()).isEqualTo(2);
    assertThat(connected.inbox().offset()).isEqualTo(2);
  }

  @Test
  void aNotificationSentWhileTheDeviceConnectsArrivesAfterTheQueuedOnes() {
    UUID queued = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice");
    register(phone);

    // Registered, but its inbox is held: this one waits for the queued one.
    UUID meanwhile = sendToUser("alice");
    assertThat(phone.received()).isEmpty();
    deliveries.connect(phone, Optional.empty());

    assertThat(idsReceivedBy(phone)).containsExactly(queued, meanwhile);
    assertThat(offsetsReceivedBy(phone, new StreamId.Inbox("alice"))).containsExactly(1L, 2L);
  }

  @Test
  void whatANonAcknowledgingDeviceWasHandedIsNotOwedToTheNextConnection() {
    UUID queued = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice");
    connect(phone);
    UUID live = sendToUser("alice");
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");

    Deliveries.Connected second = connect(laptop);

    assertThat(idsReceivedBy(phone)).containsExactly(queued, live);
    assertThat(laptop.received()).as("Ara: delivered is done").isEmpty();
    assertThat(second.replayed()).isZero();
  }

  // ---- at-least-once for devices that acknowledge ----

  @Test
  void anUnacknowledgedNotificationIsOwedAgainToTheUsersNextConnection() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    UUID sent = sendToUser("alice");
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");

    connect(laptop);

    assertThat(idsReceivedBy(phone)).containsExactly(sent);
    assertThat(idsReceivedBy(laptop)).containsExactly(sent);
  }

  @Test
  void whatAConnectionReplaysToAnAcknowledgingDeviceStaysOwedUntilAcknowledged() {
    UUID queued = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");

    connect(laptop);

    assertThat(idsReceivedBy(phone)).containsExactly(queued);
    assertThat(idsReceivedBy(laptop)).containsExactly(queued);
  }

  @Test
  void anAcknowledgedNotificationIsNeverOwedAgain() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    UUID sent = sendToUser("alice");

    assertThat(deliveries.ack("alice", sent)).isTrue();
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice", true);
    connect(laptop);

    assertThat(laptop.received()).isEmpty();
    assertThat(store.acks().stats(clock.instant()).acknowledged()).isEqualTo(1);
  }

  @Test
  void aNotificationHandedToADeviceThatDoesNotAcknowledgeIsNotOwedAgain() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", false);
    connect(phone);
    sendToUser("alice");
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice", true);

    connect(laptop);

    assertThat(laptop.received()).isEmpty();
  }

  @Test
  void anAckByAnotherUserReturnsFalseAndChangesNothing() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    UUID sent = sendToUser("alice");

    assertThat(deliveries.ack("bob", sent)).isFalse();
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");
    connect(laptop);

    assertThat(idsReceivedBy(laptop)).as("still owed to alice").containsExactly(sent);
    assertThat(store.acks().stats(clock.instant()).acknowledged()).isZero();
  }

  @Test
  void anAckOfAChannelNotificationReturnsFalse() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    deliveries.subscribe(phone, List.of("news"), Map.of());
    UUID sent = send(new Target.Channel("news"));

    assertThat(deliveries.ack("alice", sent)).isFalse();
    assertThat(idsReceivedBy(phone)).containsExactly(sent);
  }

  @Test
  void anAckOfANotificationNeverSentReturnsFalse() {
    assertThat(deliveries.ack("alice", UUID.randomUUID())).isFalse();
  }

  // ---- the inbox TTL ----

  @Test
  void aNotificationWithATtlExpiresFromTheQueueAtItsTtl() {
    sendToUser("alice", 30);
    UUID lasting = sendToUser("alice");
    clock.advance(Duration.ofSeconds(30));
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    connect(phone);

    assertThat(idsReceivedBy(phone)).containsExactly(lasting);
  }

  @Test
  void aNotificationsTtlReplacesTheQueueTtlEvenWhenLonger() {
    UUID lasting = sendToUser("alice", QUEUE_TTL.multipliedBy(2).toSeconds());
    sendToUser("alice");
    clock.advance(QUEUE_TTL.plusMinutes(1));
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    connect(phone);

    assertThat(idsReceivedBy(phone)).containsExactly(lasting);
  }

  @Test
  void withoutATtlTheQueueTtlApplies() {
    sendToUser("alice");
    clock.advance(QUEUE_TTL.dividedBy(2));
    UUID younger = sendToUser("alice");
    clock.advance(QUEUE_TTL.dividedBy(2));
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    connect(phone);

    assertThat(idsReceivedBy(phone))
        .as("the older one reached the queue TTL")
        .containsExactly(younger);
  }

  // ---- channel streams ----

  @Test
  void eachChannelNotificationCarriesChannelOffsetAndEpochFirstInItsParams() {
    FakeDevice phone = subscriber("phone", "news");

    List<UUID> sent =
        List.of(
            send(new Target.Channel("news")),
            send(new Target.Channel("news")),
            send(new Target.Channel("news")));

    String epoch = channelTop("news").epoch();
    List<JsonNode> params = phone.received().stream().map(DeliveriesTest::params).toList();
    assertThat(params).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode p = params.get(i);
      assertThat(firstFieldNames(p, 4)).containsExactly("channel", "offset", "epoch", "id");
      assertThat(p.get("channel").asText()).isEqualTo("news");
      assertThat(p.get("offset").asLong()).isEqualTo(i + 1);
      assertThat(p.get("epoch").asText()).isEqualTo(epoch);
      assertThat(p.get("id").asText()).isEqualTo(sent.get(i).toString());
      assertThat(phone.received().get(i).position())
          .contains(new Position(new StreamId.Channel("news"), i + 1, epoch));
    }
  }

  @Test
  void aSendToTwoChannelsStampsEachChannelsOwnOffsetAndReachesADeviceOnBothOnce() {
    send(new Target.Channel("news"));
    FakeDevice onBoth = subscriber("on-both", "news", "sports");
    FakeDevice onSports = subscriber("on-sports", "sports");

    Notification notification = notification();
    Delivery delivery =
        deliveries.publish(new Target.Channels(List.of("news", "sports")), notification);

    assertThat(idsReceivedBy(onBoth)).containsExactly(notification.id());
    assertThat(stampedOffsetsReceivedBy(onBoth, "news")).containsExactly(2L);
    assertThat(idsReceivedBy(onSports)).containsExactly(notification.id());
    assertThat(stampedOffsetsReceivedBy(onSports, "sports")).containsExactly(1L);
    assertThat(channelTop("news").offset()).isEqualTo(2);
    assertThat(channelTop("sports").offset()).isEqualTo(1);
    assertThat(delivery.deliveredTo()).isEqualTo(2);
    assertThat(delivery.perChannel()).containsExactly(Map.entry("news", 1), Map.entry("sports", 2));
  }

  // ---- subscribing with recovery ----

  @Test
  void recoveringAfterAnOffsetReplaysTheRestInOrderBeforeAnythingLive() {
    for (int i = 0; i < 3; i++) {
      send(new Target.Channel("news"));
    }
    Position afterFirst = new Position(new StreamId.Channel("news"), 1, channelTop("news").epoch());
    FakeDevice phone = new FakeDevice("phone", "alice");
    connect(phone);
    // One more arrives live while the device reads what it missed.
    store.afterChannelSince(() -> send(new Target.Channel("news")));

    Deliveries.Subscribed subscribed =
        deliveries.subscribe(phone, List.of("news"), Map.of("news", afterFirst));
    UUID after = send(new Target.Channel("news"));

    assertThat(subscribed.subscribed()).containsExactly("news");
    assertThat(subscribed.recovered()).containsExactly(Map.entry("news", true));
    assertThat(subscribed.positions())
        .containsExactly(Map.entry("news", withOffset(afterFirst, 3)));
    assertThat(offsetsReceivedBy(phone, new StreamId.Channel("news")))
        .containsExactly(2L, 3L, 4L, 5L);
    assertThat(stampedOffsetsReceivedBy(phone, "news")).containsExactly(2L, 3L, 4L, 5L);
    assertThat(idsReceivedBy(phone)).last().isEqualTo(after);
  }

  @Test
  void recoveringFromAForeignEpochReplaysNothingAndLiveContinues() {
    send(new Target.Channel("news"));
    send(new Target.Channel("news"));
    FakeDevice phone = new FakeDevice("phone", "alice");
    connect(phone);

    Deliveries.Subscribed subscribed =
        deliveries.subscribe(
            phone,
            List.of("news"),
            Map.of("news", new Position(new StreamId.Channel("news"), 1, "foreign0")));
    send(new Target.Channel("news"));

    assertThat(subscribed.recovered()).containsExactly(Map.entry("news", false));
    assertThat(subscribed.positions())
        .containsExactly(Map.entry("news", withOffset(channelTop("news"), 2)));
    assertThat(offsetsReceivedBy(phone, new StreamId.Channel("news"))).containsExactly(3L);
  }

  @Test
  void recoveringFromAnOffsetOlderThanTheHistoryReplaysNothingAndLiveContinues() {
    for (int i = 0; i < HISTORY_SIZE + 2; i++) {
      send(new Target.Channel("news"));
    }
    Position forgotten = new Position(new StreamId.Channel("news"), 1, channelTop("news").epoch());
    FakeDevice phone = new FakeDevice("phone", "alice");
    connect(phone);

    Deliveries.Subscribed subscribed =
        deliveries.subscribe(phone, List.of("news"), Map.of("news", forgotten));
    send(new Target.Channel("news"));

    assertThat(subscribed.recovered()).containsExactly(Map.entry("news", false));
    assertThat(subscribed.positions().get("news").offset()).isEqualTo(HISTORY_SIZE + 2);
    assertThat(offsetsReceivedBy(phone, new StreamId.Channel("news")))
        .containsExactly(HISTORY_SIZE + 3L);
  }

  @Test
  void channelsSubscribedWithoutRecoveryReportWhereTheyStand() {
    send(new Target.Channel("news"));
    Position newsTop = channelTop("news");
    FakeDevice phone = new FakeDevice("phone", "alice");
    connect(phone);

    Deliveries.Subscribed subscribed =
        deliveries.subscribe(phone, List.of("news", "sports"), Map.of());

    assertThat(subscribed.recovered()).isEmpty();
    assertThat(subscribed.positions()).containsEntry("news", newsTop);
    assertThat(subscribed.positions().get("sports").offset()).isZero();
    assertThat(phone.received()).isEmpty();
  }

  @Test
  void recoverNamingAChannelNotInChannelsIsRefusedAndSubscribesNothing() {
    send(new Target.Channel("sports"));
    FakeDevice phone = new FakeDevice("phone", "alice");
    connect(phone);
    Position sports = new Position(new StreamId.Channel("sports"), 0, channelTop("sports").epoch());

    assertThatThrownBy(() -> deliveries.subscribe(phone, List.of("news"), Map.of("sports", sports)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sports");

    assertThat(registry.channelsOf(phone)).isEmpty();
    send(new Target.Channel("news"));
    send(new Target.Channel("sports"));
    assertThat(phone.received()).isEmpty();
  }

  @Test
  void aSubscriptionRefusedAtTheLimitReleasesWhatItHeld() {
    FakeDevice phone = subscriber("phone", "news", "sports");
    Position news = channelTop("news");

    assertThatThrownBy(
            () -> deliveries.subscribe(phone, List.of("news", "weather"), Map.of("news", news)))
        .isInstanceOf(LimitExceededException.class);
    UUID live = send(new Target.Channel("news"));

    assertThat(registry.channelsOf(phone)).containsExactly("news", "sports");
    assertThat(idsReceivedBy(phone)).as("news is not held any more").containsExactly(live);
  }

  @Test
  void aRecoveryTheStoreFailsLeavesNoChannelHeld() {
    FakeDevice phone = new FakeDevice("phone", "alice");
    connect(phone);
    Map<String, Position> recover = new java.util.LinkedHashMap<>();
    recover.put("news", channelTop("news"));
    recover.put("sports", channelTop("sports"));
    store.failChannelSince("news");

    assertThatThrownBy(() -> deliveries.subscribe(phone, List.of("news", "sports"), recover))
        .isInstanceOf(SharedStateException.class);
    store.failChannelSince(null);
    deliveries.subscribe(phone, List.of("news", "sports"), Map.of());
    UUID news = send(new Target.Channel("news"));
    UUID sports = send(new Target.Channel("sports"));

    assertThat(idsReceivedBy(phone)).containsExactly(news, sports);
  }

  // ---- an SSE reconnect resuming after its last event ----

  /**
   * Alice's phone received three notifications at inbox offsets 1..3, then left; one more queued.
   */
  private List<UUID> aliceReceivedThreeThenLeftAndOneMoreWasQueued() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice");
    connect(phone);
    List<UUID> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(sendToUser("alice"));
    }
    disconnect(phone);
    sent.add(sendToUser("alice"));
    return sent;
  }

  @Test
  void connectingFromAnInboxPositionResumesAfterIt() {
    List<UUID> sent = aliceReceivedThreeThenLeftAndOneMoreWasQueued();
    Position lastEvent = withOffset(inboxTop("alice"), 1);
    FakeDevice browser = new FakeDevice("alice-browser", "alice");

    Deliveries.Connected connected = connect(browser, Optional.of(lastEvent));
    UUID live = sendToUser("alice");

    assertThat(connected.resumed()).isTrue();
    assertThat(connected.replayed()).isEqualTo(3);
    assertThat(connected.inbox().offset()).isEqualTo(4);
    assertThat(idsReceivedBy(browser)).containsExactly(sent.get(1), sent.get(2), sent.get(3), live);
    assertThat(offsetsReceivedBy(browser, new StreamId.Inbox("alice")))
        .containsExactly(2L, 3L, 4L, 5L);
  }

  @Test
  void anAcknowledgingDeviceThatResumesAlsoGetsWhatItReceivedBeforeTheIdAndDidNotAcknowledge() {
    FakeDevice browser = new FakeDevice("alice-browser", "alice", true);
    connect(browser);
    UUID acknowledged = sendToUser("alice");
    UUID unacknowledged = sendToUser("alice");
    UUID last = sendToUser("alice");
    deliveries.ack("alice", acknowledged);
    disconnect(browser);
    UUID whileAway = sendToUser("alice");
    Position lastEvent = withOffset(inboxTop("alice"), 2);
    FakeDevice reconnected = new FakeDevice("alice-browser-again", "alice", true);

    Deliveries.Connected connected = connect(reconnected, Optional.of(lastEvent));

    assertThat(connected.resumed()).isTrue();
    assertThat(idsReceivedBy(reconnected)).containsExactly(unacknowledged, last, whileAway);
    assertThat(offsetsReceivedBy(reconnected, new StreamId.Inbox("alice")))
        .containsExactly(2L, 3L, 4L);
  }

  @Test
  void connectingFromAForeignEpochDeliversWhatIsOwedInstead() {
    List<UUID> sent = aliceReceivedThreeThenLeftAndOneMoreWasQueued();
    Position foreign = new Position(new StreamId.Inbox("alice"), 1, "foreign0");
    FakeDevice browser = new FakeDevice("alice-browser", "alice");

    Deliveries.Connected connected = connect(browser, Optional.of(foreign));

    assertThat(connected.resumed()).isFalse();
    assertThat(connected.replayed()).isEqualTo(1);
    assertThat(idsReceivedBy(browser)).containsExactly(sent.get(3));
    assertThat(connected.inbox().epoch()).isEqualTo(inboxTop("alice").epoch());
  }

  // ---- a store whose reads the test can interleave with ----

  /**
   * The in-memory store, with a hook run after a channel's replay is read (to send something live
   * at that moment) and a channel whose replay fails to read (a shared engine that is down).
   */
  private static final class HookedStore implements DeliveryStore {
    private final DeliveryStore delegate;
    private volatile Runnable afterChannelSince = () -> {};
    private volatile String failingChannel;

    HookedStore(DeliveryStore delegate) {
      this.delegate = delegate;
    }

    /** Runs {@code hook} once, after the next channel replay is read. */
    void afterChannelSince(Runnable hook) {
      afterChannelSince =
          () -> {
            afterChannelSince = () -> {};
            hook.run();
          };
    }

    void failChannelSince(String channel) {
      failingChannel = channel;
    }

    private final ChannelHistory channels =
        new ChannelHistory() {
          @Override
          public Position append(String channel, UUID notificationId, byte[] message, Instant now) {
            return delegate.channels().append(channel, notificationId, message, now);
          }

          @Override
          public Position position(String channel, Instant now) {
            return delegate.channels().position(channel, now);
          }

          @Override
          public Replay since(String channel, long offset, String epoch, Instant now) {
            if (channel.equals(failingChannel)) {
              throw new SharedStateException("the store is down (test)");
            }
            Replay replay = delegate.channels().since(channel, offset, epoch, now);
            afterChannelSince.run();
            return replay;
          }

          @Override
          public Totals totals(Instant now) {
            return delegate.channels().totals(now);
          }
        };

    @Override
    public ChannelHistory channels() {
      return channels;
    }

    @Override
    public Inboxes inboxes() {
      return delegate.inboxes();
    }

    @Override
    public Acks acks() {
      return delegate.acks();
    }

    @Override
    public IdempotencyKeys idempotency() {
      return delegate.idempotency();
    }

    @Override
    public DeliveryLimits limits() {
      return delegate.limits();
    }
  }
}
