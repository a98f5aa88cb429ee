package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.jsonrpc.ErrorObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What devices may call ({@code subscribe}, {@code unsubscribe}, {@code ping}) and what the HTTP
 * API tells about them ({@code /api/v1/channels}, {@code /api/v1/users/{id}/subscriptions}, {@code
 * /stats}).
 */
class PushChannelsTest {

  private PushFixture push;

  @AfterEach
  void close() {
    if (push != null) {
      push.close();
    }
  }

  private PushFixture start(RegistryLimits limits) {
    push = PushFixture.start(PushFixture.production().registryLimits(limits));
    return push;
  }

  @Test
  void unsubscribeStopsDeliveryFromThatChannelOnly() {
    start(RegistryLimits.DEFAULTS);
    PushDevice phone = push.device("alice");
    phone.subscribe("orders", "news");

    JsonNode answer = phone.call("unsubscribe", PushDevice.channels("orders"));
    assertThat(answer.get("result")).isEqualTo(PushHttp.parse("{\"unsubscribed\":[\"orders\"]}"));
    push.notify("channel", "{'channel':'orders','event_type':'order','payload':{}}");
    push.notify("channel", "{'channel':'news','event_type':'news','payload':{}}");
    push.settle();
    assertThat(phone.takeEvents()).containsExactly("news");
  }

  @Test
  void subscribingTwiceToAChannelDeliversOnce() {
    start(RegistryLimits.DEFAULTS);
    PushDevice phone = push.device("alice");

    assertThat(phone.subscribe("orders", "orders")).containsExactly("orders");
    assertThat(phone.subscribe("orders")).containsExactly("orders");
    push.notify("channel", "{'channel':'orders','event_type':'order','payload':{}}");
    push.settle();
    assertThat(phone.takeEvents()).containsExactly("order");
  }

  @Test
  void aBadChannelNameIsAnInvalidParamsErrorNamingItAndSubscribesNothing() {
    start(RegistryLimits.DEFAULTS);
    PushDevice phone = push.device("alice");

    JsonNode answer = phone.call("subscribe", PushDevice.channels("orders", "no spaces!"));
    assertThat(answer.has("result")).isFalse();
    assertThat(answer.get("error").get("code").asInt()).isEqualTo(ErrorObject.INVALID_PARAMS);
    assertThat(answer.get("error").get("message").asText()).contains("\"no spaces!\"");
    assertThat(push.http.ok("/api/v1/users/alice/subscriptions").get("channels")).isEmpty();
    assertThat(push.http.get("/api/v1/channels/orders").status()).isEqualTo(404);
  }

  @Test
  void subscribeWithPositionalParamsIsAClearInvalidParamsError() {
    start(RegistryLimits.DEFAULTS);
    PushDevice phone = push.device("alice");

    JsonNode error = phone.call("subscribe", "['orders','alerts']").get("error");
    assertThat(error.get("code").asInt()).isEqualTo(ErrorObject.INVALID_PARAMS);
    assertThat(error.get("message").asText())
        .isEqualTo("Invalid params: param 'channels' expects an array of strings, got \"orders\"")
        .doesNotContain("java.")
        .doesNotContain("JsonToken");
    assertThat(phone.call("subscribe", "[['orders']]").get("result").get("subscribed"))
        .as("positionally, channels is the first param")
        .hasSize(1);
  }

  @Test
  void aChannelNameOver64CharactersIsRefused() {
    start(RegistryLimits.DEFAULTS);
    PushDevice phone = push.device("alice");

    assertThat(phone.subscribe("a".repeat(64))).hasSize(1);
    JsonNode error = phone.call("subscribe", PushDevice.channels("b".repeat(65))).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(ErrorObject.INVALID_PARAMS);
    assertThat(error.get("message").asText())
        .contains("b".repeat(65).substring(0, 60))
        .contains("64");
  }

  @Test
  void passingTheSubscriptionLimitIsRefusedWithLimitExceededAndSubscribesNoneOfTheRequest() {
    start(new RegistryLimits(100, 5, 3));
    PushDevice phone = push.device("alice");
    phone.subscribe("a", "b");

    JsonNode error = phone.call("subscribe", PushDevice.channels("b", "c", "d")).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(ErrorObject.LIMIT_EXCEEDED);
    assertThat(error.get("message").asText()).contains("max_subscriptions_per_connection 3");
    assertThat(PushDevice.texts(push.http.ok("/api/v1/users/alice/subscriptions").get("channels")))
        .containsExactly("a", "b");
    assertThat(push.http.get("/api/v1/channels/c").status()).isEqualTo(404);
    assertThat(phone.subscribe("b", "c"))
        .as("up to the limit still works")
        .containsExactly("b", "c");
  }

  @Test
  void pingAnswersPong() {
    start(RegistryLimits.DEFAULTS);
    PushDevice phone = push.device("alice");

    assertThat(phone.call("ping", PushHttp.parse("[]")).get("result").asText()).isEqualTo("pong");
  }

  @Test
  void channelsAreListedWithTheirSubscriberCounts() {
    start(RegistryLimits.DEFAULTS);
    push.device("alice").subscribe("orders");
    push.device("bob").subscribe("orders", "news");

    assertThat(push.http.ok("/api/v1/channels"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json(
                    "{'channels':["
                        + "{'name':'news','subscribers':1},{'name':'orders','subscribers':2}],'total':2}")));
    JsonNode orders = push.http.ok("/api/v1/channels/orders");
    assertThat(orders.get("name").asText()).isEqualTo("orders");
    assertThat(orders.get("subscribers").asInt()).isEqualTo(2);
    assertThat(orders.has("created_at")).as("see PushAraAnswersTest").isTrue();
  }

  @Test
  void anUnknownChannelIsNotFound() {
    start(RegistryLimits.DEFAULTS);

    PushHttp.Response response = push.http.get("/api/v1/channels/nobody-here");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(response.json().get("error").get("message").asText()).contains("nobody-here");
  }

  @Test
  void aUsersSubscriptionsJoinThoseOfAllTheirDevices() {
    start(RegistryLimits.DEFAULTS);
    push.device("alice").subscribe("orders");
    push.device("alice").subscribe("news", "orders");
    push.device("alice");

    assertThat(push.http.ok("/api/v1/users/alice/subscriptions"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json(
                    "{'user_id':'alice','subscriptions':['news','orders'],"
                        + "'channels':['news','orders'],'connections':3}")));
  }

  @Test
  void theSubscriptionsOfAUserWhoIsNotConnectedAreNotFound() {
    start(RegistryLimits.DEFAULTS);

    PushHttp.Response response = push.http.get("/api/v1/users/dave/subscriptions");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().get("error").get("message").asText()).contains("dave");
  }

  @Test
  void aDeviceThatDisconnectsLeavesItsChannelsAndItsUser() {
    start(RegistryLimits.DEFAULTS);
    PushDevice alice = push.device("alice");
    alice.subscribe("orders");
    push.device("bob").subscribe("orders");

    alice.close();
    push.awaitConnections(1);
    assertThat(push.http.ok("/api/v1/channels/orders").get("subscribers").asInt()).isEqualTo(1);
    assertThat(push.http.get("/api/v1/users/alice/subscriptions").status()).isEqualTo(404);
    assertThat(
            push.notify("send", "{'target_user_id':'alice','event_type':'x','payload':{}}")
                .get("delivered_to")
                .asInt())
        .isZero();
  }

  @Test
  void statsCountConnectionsUsersChannelsAndMessages() {
    start(RegistryLimits.DEFAULTS);
    push.device("alice").subscribe("orders");
    push.device("alice");
    push.device("bob").subscribe("orders", "news");
    JsonNode before = push.stats();
    assertThat(before.get("connections").asInt()).isEqualTo(3);
    assertThat(before.get("users").asInt()).isEqualTo(2);
    assertThat(before.get("channels").asInt()).isEqualTo(2);
    assertThat(before.get("connections_total").get("opened").asLong()).isEqualTo(3);

    push.notify("send", "{'target_user_id':'alice','event_type':'a','payload':{}}");
    push.notify("channel", "{'channel':'orders','event_type':'b','payload':{}}");
    push.notify("broadcast", "{'event_type':'c','payload':{}}");

    JsonNode after = push.stats().get("messages");
    JsonNode was = before.get("messages");
    assertThat(after.get("notifications_sent").asLong() - was.get("notifications_sent").asLong())
        .isEqualTo(3);
    assertThat(after.get("deliveries").asLong() - was.get("deliveries").asLong())
        .isEqualTo(2 + 2 + 3);
    assertThat(after.get("by_target").get("user").asLong()).isEqualTo(1);
    assertThat(after.get("by_target").get("channel").asLong()).isEqualTo(1);
    assertThat(after.get("by_target").get("broadcast").asLong()).isEqualTo(1);
    assertThat(after.get("dropped").asLong()).isZero();
    assertThat(after.get("slow_consumers_disconnected").asLong()).isZero();
  }
}
