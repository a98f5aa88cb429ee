package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleNotifications.notification;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's two halves of a send on one node, and its counters. Which devices a target
 * reaches, and how they are counted, is the {@link BrokerContract}'s (run on the in-memory broker,
 * which sends through a dispatcher).
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

  /** The devices that received anything. */
  private List<FakeDevice> reached() {
    return everyone.stream().filter(d -> !d.received().isEmpty()).toList();
  }

  @Test
  void acceptingASendCountsItAndEncodesItOnceWithoutDeliveringIt() {
    Notification notification = notification(Priority.HIGH);

    Publication publication = dispatcher.accept(new Target.Channel("news"), notification);

    assertThat(reached()).isEmpty();
    assertThat(publication.target()).isEqualTo(new Target.Channel("news"));
    assertThat(publication.notificationId()).isEqualTo(notification.id());
    assertThat(publication.priority()).isEqualTo(Priority.HIGH);
    assertThat(publication.message()).isEqualTo(notification.encode());
    assertThat(dispatcher.stats().notificationsByTarget())
        .containsExactly(Map.entry("channel", 1L));
    assertThat(dispatcher.stats().deliveries()).isZero();
  }

  @Test
  void deliveringAPublicationHandsItsBytesToThisNodesDevicesWithoutCountingASend() {
    Publication publication = Publication.of(new Target.User("alice"), notification());

    Delivery delivery = dispatcher.deliver(publication);

    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, aliceLaptop);
    assertThat(alicePhone.received().getFirst().bytes()).isSameAs(publication.message());
    assertThat(delivery.notificationId()).isEqualTo(publication.notificationId());
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 2));
    assertThat(dispatcher.stats().notificationsByTarget()).isEmpty();
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
