package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ara's devices over real sockets: a connection that asks for Ara's protocol ({@code
 * ?protocol=ara}, the subprotocol {@code ara}, or {@code websocket.default_protocol = "ara"})
 * subscribes, unsubscribes, pings and acknowledges with Ara's messages, gets notifications in Ara's
 * flat shape (its offline queue first), a heartbeat every ping interval, Ara's errors (and stays
 * connected), and Ara's shutdown notice.
 */
class AraDialectTest {

  private PushFixture push;
  private final List<AraDevice> devices = new ArrayList<>();

  @AfterEach
  void close() {
    devices.forEach(AraDevice::close);
    if (push != null) {
      push.close();
    }
  }

  private void start(ServerConfig.Builder config) {
    push = PushFixture.start(config);
  }

  /** An Ara device of {@code user} connecting with {@code ?protocol=ara}. */
  private AraDevice ara(String user) {
    return ara(user, "&protocol=ara", List.of());
  }

  private AraDevice ara(String user, String query, List<String> subprotocols) {
    AraDevice device =
        AraDevice.connect(user, push.ws("token=" + PushTokens.valid(user) + query), subprotocols);
    devices.add(device);
    return device;
  }

  @Test
  void subscribeIsAnsweredSubscribedAndTheChannelsNotificationsComeFlat() {
    start(PushFixture.production());
    AraDevice alice = ara("alice");

    alice.send("{'type':'Subscribe','payload':{'channels':['orders','alerts']}}");
    JsonNode subscribed = alice.next("subscribed");
    push.notify(
        "channel",
        "{'channel':'orders','event_type':'order.status_changed','payload':{'order_id':'ORD-001'}}");
    JsonNode notification = alice.notification("order.status_changed");

    assertThat(PushDevice.texts(subscribed.get("payload"))).containsExactly("orders", "alerts");
    assertThat(notification.get("type").asText()).isEqualTo("notification");
    assertThat(notification.get("channel").asText()).isEqualTo("orders");
    assertThat(notification.get("payload").get("order_id").asText()).isEqualTo("ORD-001");
    assertThat(notification.has("id")).isTrue();
    assertThat(notification.has("occurred_at")).isTrue();
    assertThat(notification.get("metadata").get("priority").asText()).isEqualTo("Normal");
    assertThat(notification.has("jsonrpc")).as("no JSON-RPC envelope").isFalse();
    assertThat(notification.has("params")).isFalse();
  }

  @Test
  void aUsersNotificationComesInAraShape() {
    start(PushFixture.production());
    AraDevice bob = ara("bob");

    JsonNode answer =
        push.notify(
            "send",
            "{'target_user_id':'bob','event_type':'order.created',"
                + "'payload':{'order_id':'ORD-001','amount':99.99},'priority':'High','ttl':3600}");
    JsonNode notification = bob.notification("order.created");

    assertThat(notification.get("id").asText()).isEqualTo(answer.get("notification_id").asText());
    assertThat(notification.get("payload").get("amount").asDouble()).isEqualTo(99.99);
    assertThat(notification.get("metadata").get("priority").asText()).isEqualTo("High");
    assertThat(notification.get("metadata").get("ttl").asLong()).isEqualTo(3600);
  }

  @Test
  void afterUnsubscribeTheChannelsNotificationsNoLongerCome() {
    start(PushFixture.production());
    AraDevice carol = ara("carol");
    carol.send("{'type':'Subscribe','payload':{'channels':['orders']}}");
    carol.next("subscribed");

    carol.send("{'type':'Unsubscribe','payload':{'channels':['orders']}}");
    JsonNode unsubscribed = carol.next("unsubscribed");
    push.sendToChannel("orders", "after-unsubscribe");
    push.sendTo("carol", "later");
    carol.notification("later");

    assertThat(PushDevice.texts(unsubscribed.get("payload"))).containsExactly("orders");
    assertThat(carol.events()).containsExactly("later");
  }

  @Test
  void pingIsAnsweredPong() {
    start(PushFixture.production());
    AraDevice dave = ara("dave");

    dave.send("{'type':'Ping'}");

    assertThat(dave.next("pong").toString()).isEqualTo("{\"type\":\"pong\"}");
  }

  @Test
  void anAckIsAnsweredAckedAndCounted() {
    start(PushFixture.production());
    AraDevice erin = ara("erin");
    String id = push.sendTo("erin", "to-ack").get("notification_id").asText();
    erin.notification("to-ack");

    erin.send("{'type':'Ack','payload':{'notification_id':'" + id + "'}}");

    assertThat(erin.next("acked").get("notification_id").asText()).isEqualTo(id);
    assertThat(push.ackStats().get("acknowledged").asLong()).isEqualTo(1);
  }

  @Test
  void theOfflineQueueIsReplayedAsNotificationsBeforeAnythingNew() {
    start(PushFixture.production());
    assertThat(push.sendTo("frank", "queued-1").get("queued").asBoolean()).isTrue();
    push.sendTo("frank", "queued-2");

    AraDevice frank = ara("frank");
    push.sendTo("frank", "live");
    frank.notification("live");

    assertThat(frank.events()).containsExactly("queued-1", "queued-2", "live");
  }

  @Test
  void aHeartbeatComesEveryPingInterval() {
    start(
        PushFixture.production()
            .rpc(
                ServerConfig.keepalive(
                    ServerConfig.builder().build().rpc(),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(10))));
    AraDevice gina = ara("gina");

    assertThat(gina.next("heartbeat").toString()).isEqualTo("{\"type\":\"heartbeat\"}");
    gina.next("heartbeat");
  }

  @Test
  void aMessageThatIsNotAraIsAnErrorAndTheConnectionStaysUp() {
    start(PushFixture.production());
    AraDevice hal = ara("hal");

    hal.sendText("not json");
    JsonNode notJson = hal.next("error");
    hal.send("{'type':'Dance'}");
    JsonNode unknown = hal.next("error");
    hal.sendBinary(new byte[] {1, 2, 3});
    JsonNode binary = hal.next("error");
    hal.send("{'type':'Ping'}");
    hal.next("pong");

    assertThat(notJson.get("code").asText()).isEqualTo("INVALID_MESSAGE");
    assertThat(notJson.get("message").asText()).startsWith("the message is not JSON");
    assertThat(unknown.get("code").asText()).isEqualTo("INVALID_MESSAGE");
    assertThat(unknown.get("message").asText())
        .isEqualTo("unknown message type \"Dance\": expected Subscribe, Unsubscribe, Ping or Ack");
    assertThat(binary.get("code").asText()).isEqualTo("UNSUPPORTED_FORMAT");
    assertThat(hal.isOpen()).isTrue();
  }

  @Test
  void aRefusedSubscribeOrAckGetsAraCodes() {
    start(PushFixture.production());
    AraDevice ivy = ara("ivy");

    ivy.send("{'type':'Subscribe','payload':{'channels':['orders','no spaces']}}");
    JsonNode subscribe = ivy.next("error");
    ivy.send("{'type':'Ack','payload':{'notification_id':'550e8400-e29b-41d4-a716-446655440000'}}");
    JsonNode ack = ivy.next("error");

    assertThat(subscribe.get("code").asText()).isEqualTo("SUBSCRIPTION_ERROR");
    assertThat(subscribe.get("message").asText()).contains("no spaces");
    assertThat(ack.get("code").asText()).isEqualTo("INVALID_ACK");
    assertThat(push.server.registry().channels()).doesNotContainKey("orders");
  }

  @Test
  void atShutdownAraDevicesGetArasNotice() {
    start(PushFixture.production().reconnectAfter(Duration.ofSeconds(7)));
    AraDevice jane = ara("jane");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(push.server::close);
    JsonNode notice = jane.next("shutdown");
    PushDevice.Closed closed = jane.awaitClosed(WAIT);
    closing.join();

    assertThat(notice.toString())
        .isEqualTo(
            "{\"type\":\"shutdown\",\"reason\":\"server shutting down\",\"reconnect_after_seconds\":7}");
    assertThat(closed.code()).isEqualTo(1001);
  }

  @Test
  void theSubprotocolAraChoosesAraAndIsNamedInTheAnswer() {
    start(PushFixture.production());
    AraDevice kim = ara("kim", "", List.of("ara"));

    kim.send("{'type':'Subscribe','payload':{'channels':['orders']}}");

    assertThat(kim.subprotocol()).isEqualTo("ara");
    assertThat(kim.next("subscribed")).isNotNull();
  }

  @Test
  void withAraAsTheDefaultADeviceThatNamesNoProtocolSpeaksAraAndJsonRpcIsStillThere() {
    start(PushFixture.production().defaultProtocol(DeviceProtocol.ARA));

    AraDevice lee = ara("lee", "", List.of());
    PushDevice json = push.device("mia", "protocol=jsonrpc");
    push.sendTo("lee", "for-lee");
    push.sendTo("mia", "for-mia");

    assertThat(lee.notification("for-lee").get("type").asText()).isEqualTo("notification");
    assertThat(json.awaitEvent("for-mia").get("event_type").asText()).isEqualTo("for-mia");
  }

  @Test
  void theJavaClientSpeaksJsonRpcEvenWhereAraIsTheDefault() {
    start(PushFixture.production().defaultProtocol(DeviceProtocol.ARA));

    try (SwitchboardClient client =
        SwitchboardClient.builder(push.ws("token=" + PushTokens.valid("pia"))).connect()) {
      assertThat(
              client
                  .call("ping", Params.none(), String.class)
                  .orTimeout(5, TimeUnit.SECONDS)
                  .join())
          .isEqualTo("pong");
    }
  }

  @Test
  void byDefaultADeviceSpeaksJsonRpc() {
    start(PushFixture.production());

    PushDevice device = push.device("ned");

    assertThat(device.call("ping", "[]").get("result").asText()).isEqualTo("pong");
  }

  @Test
  void anUnknownOrContradictoryProtocolIsRefusedWith400() {
    start(PushFixture.production());
    String token = "token=" + PushTokens.valid("olga");

    assertThat(push.refusal(token + "&protocol=mqtt", Map.of())).isEqualTo(400);
    assertThat(push.refusal(token + "&protocol=jsonrpc", Map.of("Sec-WebSocket-Protocol", "ara")))
        .isEqualTo(400);
  }
}
