package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A notification reaches exactly the devices its target names, each once, all sharing one encoding;
 * the dispatcher counts what it sent and what devices refused.
 */
class DispatcherTest {

  private final Registry registry = new Registry(RegistryLimits.DEFAULTS);
  private final Dispatcher dispatcher = new Dispatcher(registry);

  // alice: phone on news and sports, laptop on news; bob: tablet on sports and weather;
  // carol: watch on nothing, desktop on weather.
  private final FakeDevice alicePhone = connect("alice-phone", "alice", "news", "sports");
  private final FakeDevice aliceLaptop = connect("alice-laptop", "alice", "news");
  private final FakeDevice bobTablet = connect("bob-tablet", "bob", "sports", "weather");
  private final FakeDevice carolWatch = connect("carol-watch", "carol");
  private final FakeDevice carolDesktop = connect("carol-desktop", "carol", "weather");
  private final List<FakeDevice> everyone =
      List.of(alicePhone, aliceLaptop, bobTablet, carolWatch, carolDesktop);

  private FakeDevice connect(String id, String userId, String... channels) {
    FakeDevice device = new FakeDevice(id, userId);
    registry.reserve(userId).activate(device);
    if (channels.length > 0) {
      registry.subscribe(device, List.of(channels));
    }
    return device;
  }

  private static Notification notification(Priority priority) {
    JsonNode payload = Json.mapper().createObjectNode().put("order", 17);
    return Notification.create(
        Instant.parse("2024-05-06T07:08:09.123Z"),
        "order.shipped",
        payload,
        new Metadata("api", priority, OptionalLong.empty(), Optional.empty()));
  }

  private static Notification notification() {
    return notification(Priority.NORMAL);
  }

  /** The devices that received anything. */
  private List<FakeDevice> reached() {
    return everyone.stream().filter(d -> !d.received().isEmpty()).toList();
  }

  @Test
  void aUserTargetReachesEveryDeviceOfThatUserOnly() {
    Delivery delivery = dispatcher.send(new Target.User("alice"), notification());

    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, aliceLaptop);
    assertThat(delivery.deliveredTo()).isEqualTo(2);
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 2));
    assertThat(delivery.perChannel()).isEmpty();
  }

  @Test
  void aUsersTargetReachesEachNamedUserCountedInRequestOrder() {
    Delivery delivery =
        dispatcher.send(new Target.Users(List.of("carol", "bob", "carol")), notification());

    assertThat(reached()).containsExactlyInAnyOrder(bobTablet, carolWatch, carolDesktop);
    assertThat(delivery.deliveredTo()).isEqualTo(3);
    assertThat(delivery.perUser()).containsExactly(Map.entry("carol", 2), Map.entry("bob", 1));
  }

  @Test
  void anUnknownUserIsReachedOnNoDevice() {
    Delivery one = dispatcher.send(new Target.User("nobody"), notification());
    Delivery many = dispatcher.send(new Target.Users(List.of("bob", "nobody")), notification());

    assertThat(one.deliveredTo()).isZero();
    assertThat(one.perUser()).containsExactly(Map.entry("nobody", 0));
    assertThat(many.perUser()).containsExactly(Map.entry("bob", 1), Map.entry("nobody", 0));
    assertThat(reached()).containsExactly(bobTablet);
  }

  @Test
  void aBroadcastReachesEveryConnectedDevice() {
    Delivery delivery = dispatcher.send(new Target.Broadcast(), notification());

    assertThat(reached()).containsExactlyInAnyOrderElementsOf(everyone);
    assertThat(delivery.deliveredTo()).isEqualTo(5);
    assertThat(delivery.perUser()).isEmpty();
    assertThat(delivery.perChannel()).isEmpty();
  }

  @Test
  void aChannelTargetReachesItsSubscribersOnly() {
    Delivery delivery = dispatcher.send(new Target.Channel("news"), notification());

    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, aliceLaptop);
    assertThat(delivery.perChannel()).containsExactly(Map.entry("news", 2));
    assertThat(delivery.deliveredTo()).isEqualTo(2);
  }

  @Test
  void aChannelWithoutSubscribersReachesNobody() {
    Delivery delivery = dispatcher.send(new Target.Channel("empty"), notification());

    assertThat(reached()).isEmpty();
    assertThat(delivery.deliveredTo()).isZero();
    assertThat(delivery.perChannel()).containsExactly(Map.entry("empty", 0));
  }

  @Test
  void aDeviceOnSeveralOfTheChannelsReceivesTheNotificationOnceButCountsForEach() {
    Delivery delivery =
        dispatcher.send(new Target.Channels(List.of("sports", "news", "weather")), notification());

    assertThat(reached())
        .containsExactlyInAnyOrder(alicePhone, aliceLaptop, bobTablet, carolDesktop);
    everyone.forEach(
        device -> assertThat(device.received()).as(device.id()).hasSizeLessThanOrEqualTo(1));
    assertThat(delivery.perChannel())
        .containsExactly(Map.entry("sports", 2), Map.entry("news", 2), Map.entry("weather", 2));
    assertThat(delivery.deliveredTo()).isEqualTo(4);
    assertThat(dispatcher.stats().deliveries()).isEqualTo(4);
  }

  @Test
  void everyDeviceIsHandedTheVerySameBytes() {
    Notification notification = notification(Priority.HIGH);

    dispatcher.send(new Target.Broadcast(), notification);

    byte[] shared = alicePhone.received().getFirst().bytes();
    for (FakeDevice device : everyone) {
      Outgoing message = device.received().getFirst();
      assertThat(message.bytes()).as(device.id()).isSameAs(shared);
      assertThat(message.encoding()).isEqualTo(Encoding.JSON);
      assertThat(message.priority()).hasValue(Priority.HIGH);
    }
    assertThat(shared).isEqualTo(notification.encode());
  }

  @Test
  void theDeliveryNamesTheNotification() {
    Notification notification = notification();

    assertThat(dispatcher.send(new Target.User("bob"), notification).notificationId())
        .isEqualTo(notification.id());
  }

  @Test
  void aDeviceThatRefusesIsNotCountedAsReached() {
    bobTablet.refuse();

    Delivery delivery = dispatcher.send(new Target.User("bob"), notification());

    assertThat(delivery.deliveredTo()).isZero();
    assertThat(delivery.perUser()).containsExactly(Map.entry("bob", 0));
    assertThat(dispatcher.stats().refused()).isEqualTo(1);
    assertThat(dispatcher.stats().deliveries()).isZero();
  }

  @Test
  void aRefusingDeviceOnSeveralChannelsIsTriedOnceAndCountedForNone() {
    bobTablet.refuse();

    Delivery delivery =
        dispatcher.send(new Target.Channels(List.of("sports", "weather")), notification());

    assertThat(bobTablet.deliverCalls()).isEqualTo(1);
    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, carolDesktop);
    assertThat(delivery.perChannel())
        .containsExactly(Map.entry("sports", 1), Map.entry("weather", 1));
    assertThat(delivery.deliveredTo()).isEqualTo(2);
    assertThat(dispatcher.stats().refused()).isEqualTo(1);
    assertThat(dispatcher.stats().deliveries()).isEqualTo(2);
  }

  @Test
  void statsCountNotificationsByTargetKindAndEveryDelivery() {
    carolWatch.refuse();

    dispatcher.send(new Target.User("alice"), notification());
    dispatcher.send(new Target.User("bob"), notification());
    dispatcher.send(new Target.Users(List.of("alice", "carol")), notification());
    dispatcher.send(new Target.Broadcast(), notification());
    dispatcher.send(new Target.Channel("weather"), notification());
    dispatcher.send(new Target.Channels(List.of("news", "weather")), notification());

    GatewayStats stats = dispatcher.stats();
    assertThat(stats.notificationsByTarget())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("user", 2L, "users", 1L, "broadcast", 1L, "channel", 1L, "channels", 1L));
    assertThat(stats.notifications()).isEqualTo(6);
    // 2 + 1 + (2 + 1 of carol's 2) + 4 of 5 + 2 + 4
    assertThat(stats.deliveries()).isEqualTo(2 + 1 + 3 + 4 + 2 + 4);
    assertThat(stats.refused()).isEqualTo(2);
  }

  @Test
  void statsStartAtZero() {
    GatewayStats stats = dispatcher.stats();

    assertThat(stats.notificationsByTarget()).isEmpty();
    assertThat(stats.notifications()).isZero();
    assertThat(stats.deliveries()).isZero();
    assertThat(stats.refused()).isZero();
    assertThat(Stream.of(dispatcher.registry())).containsExactly(registry);
  }
}
