package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each target of the HTTP API reaches exactly the devices it names, and no other: three users, four
 * devices, two channels. Absence is proven by {@link PushFixture#settle}, never by waiting a while.
 *
 * <pre>
 * alice: phone (orders), laptop (no channels)
 * bob:   phone (orders, news)
 * carol: tablet (news)
 * </pre>
 */
class PushDeliveryTest {

  private PushFixture push;
  private PushDevice alicePhone;
  private PushDevice aliceLaptop;
  private PushDevice bobPhone;
  private PushDevice carolTablet;

  @BeforeEach
  void connect() {
    push = PushFixture.start(PushFixture.production());
    alicePhone = push.device("alice");
    aliceLaptop = push.device("alice");
    bobPhone = push.device("bob");
    carolTablet = push.device("carol");
    assertThat(alicePhone.subscribe("orders")).containsExactly("orders");
    assertThat(bobPhone.subscribe("orders", "news")).containsExactly("orders", "news");
    assertThat(carolTablet.subscribe("news")).containsExactly("news");
  }

  @AfterEach
  void close() {
    push.close();
  }

  @Test
  void sendReachesEveryDeviceOfTheTargetUserAndNoOther() {
    JsonNode answer =
        push.notify("send", "{'target_user_id':'alice','event_type':'for-alice','payload':{}}");

    assertThat(PushHttp.fieldNames(answer))
        .containsExactly("notification_id", "delivered_to", "queued");
    assertThat(UUID.fromString(answer.get("notification_id").asText())).isNotNull();
    assertThat(answer.get("delivered_to").asInt()).isEqualTo(2);
    assertThat(answer.get("queued").asBoolean()).isFalse();
    push.settle();
    assertThat(alicePhone.takeEvents()).containsExactly("for-alice");
    assertThat(aliceLaptop.takeEvents()).containsExactly("for-alice");
    assertThat(bobPhone.takeEvents()).isEmpty();
    assertThat(carolTablet.takeEvents()).isEmpty();
  }

  @Test
  void everyDeviceOfTheUserGetsTheSameNotification() {
    JsonNode answer =
        push.notify("send", "{'target_user_id':'alice','event_type':'same','payload':[1,2]}");

    JsonNode onPhone = alicePhone.awaitEvent("same");
    JsonNode onLaptop = aliceLaptop.awaitEvent("same");
    assertThat(onPhone).isEqualTo(onLaptop);
    assertThat(onPhone.get("id").asText()).isEqualTo(answer.get("notification_id").asText());
  }

  @Test
  void sendToAUserWithoutDevicesReachesNobodyElseAndIsQueuedForThem() {
    JsonNode answer =
        push.notify("send", "{'target_user_id':'dave','event_type':'for-dave','payload':{}}");

    assertThat(answer.get("delivered_to").asInt()).isZero();
    assertThat(answer.get("queued").asBoolean()).isTrue();
    push.settle();
    for (PushDevice device : new PushDevice[] {alicePhone, aliceLaptop, bobPhone, carolTablet}) {
      assertThat(device.takeEvents()).as(device.name()).isEmpty();
    }
  }

  @Test
  void sendToUsersReachesEachNamedUserAndReportsEachOne() {
    JsonNode answer =
        push.notify(
            "send-to-users",
            "{'target_user_ids':['alice','bob','dave'],'event_type':'for-some','payload':{}}");

    assertThat(PushHttp.fieldNames(answer)).containsExactly("notification_id", "results");
    assertThat(answer.get("results"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json(
                    "{"
                        + "'alice':{'delivered':true,'queued':false,'connections':2},"
                        + "'bob':{'delivered':true,'queued':false,'connections':1},"
                        + "'dave':{'delivered':false,'queued':true,'connections':0}}")));
    push.settle();
    assertThat(alicePhone.takeEvents()).containsExactly("for-some");
    assertThat(aliceLaptop.takeEvents()).containsExactly("for-some");
    assertThat(bobPhone.takeEvents()).containsExactly("for-some");
    assertThat(carolTablet.takeEvents()).isEmpty();
  }

  @Test
  void broadcastReachesEveryConnectedDevice() {
    JsonNode answer = push.notify("broadcast", "{'event_type':'for-all','payload':{}}");

    assertThat(PushHttp.fieldNames(answer)).containsExactly("notification_id", "delivered_to");
    assertThat(answer.get("delivered_to").asInt()).isEqualTo(4);
    push.settle();
    for (PushDevice device : new PushDevice[] {alicePhone, aliceLaptop, bobPhone, carolTablet}) {
      assertThat(device.takeEvents()).as(device.name()).containsExactly("for-all");
    }
  }

  @Test
  void channelReachesOnlyItsSubscribers() {
    JsonNode answer =
        push.notify("channel", "{'channel':'orders','event_type':'order','payload':{}}");

    assertThat(PushHttp.fieldNames(answer))
        .containsExactly("notification_id", "channel", "delivered_to");
    assertThat(answer.get("channel").asText()).isEqualTo("orders");
    assertThat(answer.get("delivered_to").asInt()).isEqualTo(2);
    push.settle();
    assertThat(alicePhone.takeEvents()).containsExactly("order");
    assertThat(aliceLaptop.takeEvents()).isEmpty();
    assertThat(bobPhone.takeEvents()).containsExactly("order");
    assertThat(carolTablet.takeEvents()).isEmpty();
  }

  @Test
  void channelsReachEachSubscriberOnceEvenWhenItIsOnSeveralOfThem() {
    JsonNode answer =
        push.notify("channels", "{'channels':['orders','news'],'event_type':'both','payload':{}}");

    assertThat(PushHttp.fieldNames(answer))
        .containsExactly("notification_id", "channels", "total_delivered");
    assertThat(answer.get("channels"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json("{'orders':{'delivered_to':2},'news':{'delivered_to':2}}")));
    assertThat(answer.get("total_delivered").asInt()).isEqualTo(3);
    push.settle();
    assertThat(alicePhone.takeEvents()).containsExactly("both");
    assertThat(aliceLaptop.takeEvents()).isEmpty();
    assertThat(bobPhone.takeEvents()).as("bob is on both channels").containsExactly("both");
    assertThat(carolTablet.takeEvents()).containsExactly("both");
  }

  @Test
  void aChannelWithoutSubscribersReachesNobody() {
    JsonNode answer =
        push.notify("channel", "{'channel':'empty','event_type':'lost','payload':{}}");

    assertThat(answer.get("delivered_to").asInt()).isZero();
    push.settle();
    assertThat(alicePhone.takeEvents()).isEmpty();
    assertThat(bobPhone.takeEvents()).isEmpty();
  }

  @Test
  void aNotificationIsAJsonRpcNotificationCarryingItsMetadata() {
    Instant before = Instant.now().minusMillis(1);
    JsonNode answer =
        push.notify(
            "send",
            "{'target_user_id':'bob','event_type':'order.shipped',"
                + "'payload':{'order':42,'items':['a','b']},'priority':'high','ttl':60,'correlation_id':'req-7'}");

    JsonNode message = bobPhone.await(PushDevice::isNotification, "the notification");
    assertThat(PushHttp.fieldNames(message))
        .containsExactlyInAnyOrder("jsonrpc", "method", "params");
    assertThat(message.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(message.get("method").asText()).isEqualTo("notification");
    JsonNode params = message.get("params");
    assertThat(PushHttp.fieldNames(params))
        .containsExactlyInAnyOrder("id", "occurred_at", "event_type", "payload", "metadata");
    assertThat(params.get("id").asText()).isEqualTo(answer.get("notification_id").asText());
    assertThat(UUID.fromString(params.get("id").asText()).version()).isEqualTo(4);
    assertThat(Instant.parse(params.get("occurred_at").asText()))
        .isBetween(before, Instant.now().plus(Duration.ofMillis(1)));
    assertThat(params.get("event_type").asText()).isEqualTo("order.shipped");
    assertThat(params.get("payload"))
        .isEqualTo(PushHttp.parse("{\"order\":42,\"items\":[\"a\",\"b\"]}"));
    assertThat(params.get("metadata"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json(
                    "{'source':'api','priority':'High','ttl':60,'correlation_id':'req-7'}")));
  }

  @Test
  void metadataDefaultsToNormalPriorityWithoutTtlOrCorrelationId() {
    push.notify("send", "{'target_user_id':'bob','event_type':'plain','payload':'text'}");

    JsonNode params = bobPhone.awaitEvent("plain");
    assertThat(params.get("payload").asText()).isEqualTo("text");
    assertThat(params.get("metadata"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json(
                    "{'source':'api','priority':'Normal','ttl':null,'correlation_id':null}")));
  }

  @Test
  void notificationsToOneDeviceArriveInTheOrderTheyWereSent() {
    for (int i = 0; i < 20; i++) {
      push.notify(
          i % 2 == 0 ? "send" : "channel",
          "{'target_user_id':'bob','channel':'news','event_type':'n"
              + i
              + "','payload':"
              + i
              + "}");
    }
    push.settle();
    assertThat(bobPhone.takeEvents())
        .containsExactly(
            "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12", "n13",
            "n14", "n15", "n16", "n17", "n18", "n19");
  }
}
