package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleNotifications.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.jsonrpc.Encoding;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} does, whatever carries a send between nodes: a notification reaches
 * exactly the devices its target names, on every node, each once, all of a node sharing one
 * encoding; the answer counts the devices that took it; the node that accepted the send counts it.
 *
 * <p>A subclass makes one node's broker ({@link #node}) and says whether brokers it makes reach
 * each other ({@link #sharedBetweenNodes}); the cases on two nodes are skipped when they do not.
 * {@link #node} is called from this class's {@code @BeforeEach}, which JUnit runs before a
 * subclass's own: start shared servers in a {@code @BeforeAll}, close brokers in an
 * {@code @AfterEach}. Every wait for an answer is bounded; nothing sleeps.
 */
public abstract class BrokerContract {

  /** The longest a test waits for {@link Broker#publish} to complete. */
  private static final long ANSWER_SECONDS = 10;

  /**
   * A broker for one more node of this test's cluster, whose devices are those of {@code local}'s
   * registry. Each test starts a cluster of its own.
   */
  protected abstract Broker node(Dispatcher local);

  /**
   * Whether two brokers made by {@link #node} in one test reach each other's devices: false when
   * each is a cluster of one, as {@link Broker#inMemory} is.
   */
  protected abstract boolean sharedBetweenNodes();

  /** One node: its registry, its dispatcher and its broker. */
  private final class Node {
    final Registry registry = new Registry(RegistryLimits.DEFAULTS);
    final Dispatcher dispatcher = new Dispatcher(registry);
    final Broker broker = node(dispatcher);

    FakeDevice connect(String id, String userId, String... channels) {
      FakeDevice device = new FakeDevice(id, userId);
      registry.reserve(userId).activate(device);
      if (channels.length > 0) {
        registry.subscribe(device, List.of(channels));
      }
      return device;
    }

    Delivery publish(Target target, Notification notification) throws Exception {
      return broker
          .publish(target, notification)
          .toCompletableFuture()
          .get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }
  }

  private Node here;

  // alice: phone on news and sports, laptop on news; bob: tablet on sports and weather;
  // carol: watch on nothing, desktop on weather.
  private FakeDevice alicePhone;
  private FakeDevice aliceLaptop;
  private FakeDevice bobTablet;
  private FakeDevice carolWatch;
  private FakeDevice carolDesktop;
  private List<FakeDevice> everyone;

  @BeforeEach
  final void connectEveryone() {
    here = new Node();
    alicePhone = here.connect("alice-phone", "alice", "news", "sports");
    aliceLaptop = here.connect("alice-laptop", "alice", "news");
    bobTablet = here.connect("bob-tablet", "bob", "sports", "weather");
    carolWatch = here.connect("carol-watch", "carol");
    carolDesktop = here.connect("carol-desktop", "carol", "weather");
    everyone = List.of(alicePhone, aliceLaptop, bobTablet, carolWatch, carolDesktop);
  }

  /** A second node of the same cluster; the test is skipped when the broker has no such thing. */
  private Node there() {
    assumeTrue(sharedBetweenNodes(), "each broker is a cluster of one");
    return new Node();
  }

  /** The devices that received anything. */
  private static List<FakeDevice> reached(List<FakeDevice> devices) {
    return devices.stream().filter(d -> !d.received().isEmpty()).toList();
  }

  private List<FakeDevice> reached() {
    return reached(everyone);
  }

  @Test
  void aUserTargetReachesEveryDeviceOfThatUserOnly() throws Exception {
    Delivery delivery = here.publish(new Target.User("alice"), notification());

    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, aliceLaptop);
    assertThat(delivery.deliveredTo()).isEqualTo(2);
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 2));
    assertThat(delivery.perChannel()).isEmpty();
  }

  @Test
  void aUsersTargetReachesEachNamedUserCountedInRequestOrder() throws Exception {
    Delivery delivery =
        here.publish(new Target.Users(List.of("carol", "bob", "carol")), notification());

    assertThat(reached()).containsExactlyInAnyOrder(bobTablet, carolWatch, carolDesktop);
    assertThat(delivery.deliveredTo()).isEqualTo(3);
    assertThat(delivery.perUser()).containsExactly(Map.entry("carol", 2), Map.entry("bob", 1));
  }

  @Test
  void anUnknownUserIsReachedOnNoDevice() throws Exception {
    Delivery one = here.publish(new Target.User("nobody"), notification());
    Delivery many = here.publish(new Target.Users(List.of("bob", "nobody")), notification());

    assertThat(one.deliveredTo()).isZero();
    assertThat(one.perUser()).containsExactly(Map.entry("nobody", 0));
    assertThat(many.perUser()).containsExactly(Map.entry("bob", 1), Map.entry("nobody", 0));
    assertThat(reached()).containsExactly(bobTablet);
  }

  @Test
  void aBroadcastReachesEveryConnectedDevice() throws Exception {
    Delivery delivery = here.publish(new Target.Broadcast(), notification());

    assertThat(reached()).containsExactlyInAnyOrderElementsOf(everyone);
    assertThat(delivery.deliveredTo()).isEqualTo(5);
    assertThat(delivery.perUser()).isEmpty();
    assertThat(delivery.perChannel()).isEmpty();
  }

  @Test
  void aChannelTargetReachesItsSubscribersOnly() throws Exception {
    Delivery delivery = here.publish(new Target.Channel("news"), notification());

    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, aliceLaptop);
    assertThat(delivery.perChannel()).containsExactly(Map.entry("news", 2));
    assertThat(delivery.deliveredTo()).isEqualTo(2);
  }

  @Test
  void aChannelWithoutSubscribersReachesNobody() throws Exception {
    Delivery delivery = here.publish(new Target.Channel("empty"), notification());

    assertThat(reached()).isEmpty();
    assertThat(delivery.deliveredTo()).isZero();
    assertThat(delivery.perChannel()).containsExactly(Map.entry("empty", 0));
  }

  @Test
  void aDeviceOnSeveralOfTheChannelsReceivesTheNotificationOnceButCountsForEach() throws Exception {
    Delivery delivery =
        here.publish(new Target.Channels(List.of("sports", "news", "weather")), notification());

    assertThat(reached())
        .containsExactlyInAnyOrder(alicePhone, aliceLaptop, bobTablet, carolDesktop);
    everyone.forEach(
        device -> assertThat(device.received()).as(device.id()).hasSizeLessThanOrEqualTo(1));
    assertThat(delivery.perChannel())
        .containsExactly(Map.entry("sports", 2), Map.entry("news", 2), Map.entry("weather", 2));
    assertThat(delivery.deliveredTo()).isEqualTo(4);
    assertThat(here.dispatcher.stats().deliveries()).isEqualTo(4);
  }

  @Test
  void everyDeviceIsHandedTheVerySameBytes() throws Exception {
    Notification notification = notification(Priority.HIGH);

    here.publish(new Target.Broadcast(), notification);

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
  void theDeliveryNamesTheNotification() throws Exception {
    Notification notification = notification();

    assertThat(here.publish(new Target.User("bob"), notification).notificationId())
        .isEqualTo(notification.id());
  }

  @Test
  void aDeviceThatRefusesIsNotCountedAsReached() throws Exception {
    bobTablet.refuse();

    Delivery delivery = here.publish(new Target.User("bob"), notification());

    assertThat(delivery.deliveredTo()).isZero();
    assertThat(delivery.perUser()).containsExactly(Map.entry("bob", 0));
    assertThat(here.dispatcher.stats().refused()).isEqualTo(1);
    assertThat(here.dispatcher.stats().deliveries()).isZero();
  }

  @Test
  void aRefusingDeviceOnSeveralChannelsIsTriedOnceAndCountedForNone() throws Exception {
    bobTablet.refuse();

    Delivery delivery =
        here.publish(new Target.Channels(List.of("sports", "weather")), notification());

    assertThat(bobTablet.deliverCalls()).isEqualTo(1);
    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, carolDesktop);
    assertThat(delivery.perChannel())
        .containsExactly(Map.entry("sports", 1), Map.entry("weather", 1));
    assertThat(delivery.deliveredTo()).isEqualTo(2);
    assertThat(here.dispatcher.stats().refused()).isEqualTo(1);
    assertThat(here.dispatcher.stats().deliveries()).isEqualTo(2);
  }

  @Test
  void theNodeThatAcceptedASendCountsItOnceByTargetKind() throws Exception {
    here.publish(new Target.User("alice"), notification());
    here.publish(new Target.Channels(List.of("news", "weather")), notification());

    assertThat(here.dispatcher.stats().notificationsByTarget())
        .containsExactlyInAnyOrderEntriesOf(Map.of("user", 1L, "channels", 1L));
    assertThat(here.dispatcher.stats().deliveries()).isEqualTo(2 + 4);
  }

  // On two nodes of one cluster.

  @Test
  void aUserTargetReachesTheUsersDevicesOnEveryNodeAndAddsThemUp() throws Exception {
    Node there = there();
    FakeDevice aliceTv = there.connect("alice-tv", "alice");
    FakeDevice bobWatch = there.connect("bob-watch", "bob");

    Delivery delivery = here.publish(new Target.Users(List.of("alice", "bob")), notification());

    assertThat(reached()).containsExactlyInAnyOrder(alicePhone, aliceLaptop, bobTablet);
    assertThat(reached(List.of(aliceTv, bobWatch))).containsExactly(aliceTv, bobWatch);
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 3), Map.entry("bob", 2));
    assertThat(delivery.deliveredTo()).isEqualTo(5);
  }

  @Test
  void aBroadcastReachesEveryDeviceOfEveryNode() throws Exception {
    Node there = there();
    FakeDevice daveTv = there.connect("dave-tv", "dave");
    FakeDevice erinWatch = there.connect("erin-watch", "erin").refuse();

    Delivery delivery = there.publish(new Target.Broadcast(), notification());

    assertThat(reached()).containsExactlyInAnyOrderElementsOf(everyone);
    assertThat(daveTv.received()).hasSize(1);
    assertThat(erinWatch.deliverCalls()).isEqualTo(1);
    assertThat(delivery.deliveredTo()).isEqualTo(5 + 1);
  }

  @Test
  void aChannelsTargetCountsEachNodesSubscribersOnceEach() throws Exception {
    Node there = there();
    FakeDevice daveTv = there.connect("dave-tv", "dave", "news", "weather");
    FakeDevice erinWatch = there.connect("erin-watch", "erin");

    Delivery delivery =
        here.publish(new Target.Channels(List.of("news", "weather")), notification());

    assertThat(daveTv.received()).hasSize(1);
    assertThat(erinWatch.received()).isEmpty();
    assertThat(delivery.perChannel())
        .containsExactly(Map.entry("news", 2 + 1), Map.entry("weather", 2 + 1));
    assertThat(delivery.deliveredTo()).isEqualTo(4 + 1);
  }

  @Test
  void everyNodeHandsItsDevicesTheEncodedNotification() throws Exception {
    Node there = there();
    FakeDevice daveTv = there.connect("dave-tv", "dave", "news");
    FakeDevice daveLaptop = there.connect("dave-laptop", "dave", "news");
    Notification notification = notification(Priority.CRITICAL);

    here.publish(new Target.Channel("news"), notification);

    // A channel's subscribers get it stamped with the channel's position, once for the node.
    Outgoing message = daveTv.received().getFirst();
    Position at = message.position().orElseThrow();
    assertThat(message.bytes())
        .isEqualTo(Notification.stamp(notification.encode(), "news", at.offset(), at.epoch()))
        .isSameAs(daveLaptop.received().getFirst().bytes());
    assertThat(message.priority()).hasValue(Priority.CRITICAL);
  }

  @Test
  void onlyTheNodeThatAcceptedASendCountsItWhileEachCountsItsOwnDeliveries() throws Exception {
    Node there = there();
    there.connect("dave-tv", "dave");

    here.publish(new Target.Broadcast(), notification());

    assertThat(here.dispatcher.stats().notificationsByTarget())
        .containsExactly(Map.entry("broadcast", 1L));
    assertThat(there.dispatcher.stats().notificationsByTarget()).isEmpty();
    assertThat(Stream.of(here, there).map(n -> n.dispatcher.stats().deliveries()))
        .containsExactly(5L, 1L);
  }
}
