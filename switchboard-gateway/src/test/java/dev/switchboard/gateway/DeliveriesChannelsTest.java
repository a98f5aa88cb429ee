package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleNotifications.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Channel streams on one node: each channel notification is stamped with its channel's offset and
 * epoch, and a subscriber recovering from a position gets what it missed, in order, before anything
 * live, or is told it cannot; a refused or failed subscription holds nothing. The store is the
 * in-memory one with a small history.
 */
class DeliveriesChannelsTest extends DeliveriesFixture {

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
    List<JsonNode> params = phone.received().stream().map(DeliveriesFixture::params).toList();
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

  @Test
  void aSubscriptionWithoutRecoveryWorksWhileTheStoreIsDownAndNamesNoPosition() {
    FakeDevice phone = new FakeDevice("phone", "alice");
    connect(phone);
    store.failChannelSince("news");

    Deliveries.Subscribed done = deliveries.subscribe(phone, List.of("news", "sports"), Map.of());

    assertThat(done.subscribed()).containsExactly("news", "sports");
    assertThat(done.positions()).containsOnlyKeys("sports");
    store.failChannelSince(null);
    UUID news = send(new Target.Channel("news"));
    assertThat(idsReceivedBy(phone)).containsExactly(news);
  }
}
