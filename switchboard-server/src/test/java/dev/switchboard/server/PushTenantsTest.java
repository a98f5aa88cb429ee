package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tenants over real sockets: alice of acme, alice of globex and alice of the default tenant are
 * three users; channel {@code orders} of each is its own. No send of one tenant reaches another's
 * device, and no read of one lists or counts another's.
 */
class PushTenantsTest {

  private PushFixture push;
  private PushDevice acme;
  private PushDevice globex;
  private PushDevice plain;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production());
    acme = push.tenantDevice("acme", "alice");
    globex = push.tenantDevice("globex", "alice");
    plain = push.device("alice");
    acme.subscribe("orders");
    globex.subscribe("orders", "news");
    plain.subscribe("orders");
  }

  @AfterEach
  void close() {
    push.close();
  }

  private JsonNode asAcme(String action, String singleQuotedJson) {
    PushHttp.Response answer =
        push.http.post(
            "/api/v1/notifications/" + action,
            PushHttp.json(singleQuotedJson),
            "X-Tenant-ID",
            "acme");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  private JsonNode read(String tenant, String path) {
    PushHttp.Response answer = push.http.get(path, "X-Tenant-ID", tenant);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  private void onlyAcmeGot(String event) {
    push.settle();
    assertThat(acme.takeEvents()).containsExactly(event);
    assertThat(globex.takeEvents()).isEmpty();
    assertThat(plain.takeEvents()).isEmpty();
  }

  @Test
  void aSendToAUserReachesThatUserOfTheTenantAlone() {
    JsonNode answer =
        asAcme("send", "{'target_user_id':'alice','event_type':'hello','payload':{}}");
    assertThat(answer.get("delivered_to").asInt()).isOne();
    onlyAcmeGot("hello");
  }

  @Test
  void aSendToUsersReachesThoseUsersOfTheTenantAlone() {
    JsonNode answer =
        asAcme(
            "send-to-users", "{'target_user_ids':['alice','bob'],'event_type':'hi','payload':{}}");
    assertThat(PushHttp.fieldNames(answer.get("results"))).containsExactly("alice", "bob");
    assertThat(answer.at("/results/alice/connections").asInt()).isOne();
    onlyAcmeGot("hi");
  }

  @Test
  void aSendToAChannelReachesTheTenantsSubscribersAloneNamingTheChannelAsTheyDo() {
    JsonNode answer = asAcme("channel", "{'channel':'orders','event_type':'order','payload':{}}");
    assertThat(answer.get("channel").asText()).isEqualTo("orders");
    assertThat(answer.get("delivered_to").asInt()).isOne();
    assertThat(acme.awaitEvent("order").get("channel").asText()).isEqualTo("orders");
    onlyAcmeGot("order");
  }

  @Test
  void aSendToChannelsReachesTheTenantsSubscribersAlone() {
    JsonNode answer =
        asAcme("channels", "{'channels':['orders','news'],'event_type':'both','payload':{}}");
    assertThat(PushHttp.fieldNames(answer.get("channels"))).containsExactly("orders", "news");
    assertThat(answer.get("total_delivered").asInt()).isOne();
    onlyAcmeGot("both");
  }

  @Test
  void aBroadcastReachesTheTenantsDevicesAlone() {
    JsonNode answer = asAcme("broadcast", "{'event_type':'all','payload':{}}");
    assertThat(answer.get("delivered_to").asInt()).isOne();
    onlyAcmeGot("all");
  }

  @Test
  void aBroadcastWithoutTenantReachesTheDefaultTenantAlone() {
    push.notify("broadcast", "{'event_type':'all','payload':{}}");
    push.settle();
    assertThat(plain.takeEvents()).containsExactly("all");
    assertThat(acme.takeEvents()).isEmpty();
    assertThat(globex.takeEvents()).isEmpty();
  }

  @Test
  void everyBatchTargetReachesTheTenantAlone() {
    JsonNode answer =
        asAcme(
            "batch",
            "{'notifications':["
                + "{'target':{'type':'user','id':'alice'},'event_type':'b1','payload':{}},"
                + "{'target':{'type':'users','ids':['alice']},'event_type':'b2','payload':{}},"
                + "{'target':{'type':'channel','name':'orders'},'event_type':'b3','payload':{}},"
                + "{'target':{'type':'channels','names':['news','orders']},'event_type':'b4',"
                + "'payload':{}},"
                + "{'target':{'type':'broadcast'},'event_type':'b5','payload':{}}]}");
    assertThat(answer.get("successful").asInt()).isEqualTo(5);
    push.settle();
    assertThat(acme.takeEvents()).containsExactly("b1", "b2", "b3", "b4", "b5");
    assertThat(globex.takeEvents()).isEmpty();
    assertThat(plain.takeEvents()).isEmpty();
  }

  @Test
  void channelsListTheTenantsChannelsAlone() {
    JsonNode acmeChannels = read("acme", "/api/v1/channels");
    assertThat(acmeChannels.get("total").asInt()).isOne();
    assertThat(acmeChannels.at("/channels/0/name").asText()).isEqualTo("orders");
    assertThat(acmeChannels.at("/channels/0/subscribers").asInt()).isOne();
    assertThat(read("globex", "/api/v1/channels").get("total").asInt()).isEqualTo(2);
    assertThat(read("initech", "/api/v1/channels").get("total").asInt()).isZero();
    assertThat(push.http.ok("/api/v1/channels").get("total").asInt()).isOne();
  }

  @Test
  void aChannelIsFoundInItsTenantAlone() {
    assertThat(read("globex", "/api/v1/channels/news").get("subscribers").asInt()).isOne();
    assertThat(push.http.get("/api/v1/channels/news", "X-Tenant-ID", "acme").status())
        .isEqualTo(404);
    assertThat(push.http.get("/api/v1/channels/news").status()).isEqualTo(404);
    assertThat(read("acme", "/api/v1/channels/orders").get("name").asText()).isEqualTo("orders");
  }

  @Test
  void aUsersSubscriptionsAreThoseOfTheTenantsUser() {
    JsonNode ofGlobex = read("globex", "/api/v1/users/alice/subscriptions");
    assertThat(ofGlobex.get("subscriptions")).containsExactly(text("news"), text("orders"));
    assertThat(ofGlobex.get("user_id").asText()).isEqualTo("alice");
    assertThat(ofGlobex.get("connections").asInt()).isOne();
    assertThat(read("acme", "/api/v1/users/alice/subscriptions").get("subscriptions"))
        .containsExactly(text("orders"));
    assertThat(
            push.http.get("/api/v1/users/alice/subscriptions", "X-Tenant-ID", "initech").status())
        .isEqualTo(404);
  }

  @Test
  void statsCountTheTenantAlone() {
    push.tenantDevice("acme", "bob");
    JsonNode acmeStats = read("acme", "/api/v1/stats");
    assertThat(acmeStats.at("/connections/total").asInt()).isEqualTo(2);
    assertThat(acmeStats.at("/users/connected").asInt()).isEqualTo(2);
    assertThat(acmeStats.at("/channels/active").asInt()).isOne();
    assertThat(acmeStats.at("/channels/total_subscriptions").asInt()).isOne();
    JsonNode globexStats = read("globex", "/stats");
    assertThat(globexStats.get("connections").asInt()).isOne();
    assertThat(globexStats.get("channels").asInt()).isEqualTo(2);
    JsonNode nobody = read("initech", "/api/v1/stats");
    assertThat(nobody.at("/connections/total").asInt()).isZero();
    assertThat(nobody.at("/users/connected").asInt()).isZero();
    assertThat(nobody.at("/channels/active").asInt()).isZero();
    assertThat(push.http.ok("/api/v1/stats").at("/connections/total").asInt()).isOne();
  }

  @Test
  void ackStatisticsCountTheTenantsDeliveriesAlone() {
    String id =
        asAcme("send", "{'target_user_id':'alice','event_type':'e','payload':{}}")
            .get("notification_id")
            .asText();
    acme.awaitEvent("e");
    assertThat(acme.ack(id).path("result").path("acked").asBoolean()).isTrue();

    assertThat(read("acme", "/api/v1/stats/acks").get("acknowledged").asInt()).isOne();
    assertThat(read("globex", "/api/v1/stats/acks").get("acknowledged").asInt()).isZero();
    assertThat(push.http.ok("/api/v1/stats/acks").get("acknowledged").asInt())
        .as("the default tenant's")
        .isZero();
  }

  @Test
  void theClusterFindsTheTenantsUserAlone() {
    JsonNode ofAcme = read("acme", "/api/v1/cluster/users/alice");
    assertThat(ofAcme.get("found").asBoolean()).isTrue();
    assertThat(ofAcme.get("channels")).containsExactly(text("orders"));
    assertThat(read("initech", "/api/v1/cluster/users/alice").get("found").asBoolean()).isFalse();
    assertThat(read("initech", "/api/v1/cluster/status").get("local_connections").asInt()).isZero();
    assertThat(read("acme", "/api/v1/cluster/status").get("local_users").asInt()).isOne();
  }

  @Test
  void unsubscribingLeavesTheTenantsChannelAlone() {
    JsonNode answer = acme.call("unsubscribe", PushDevice.channels("orders"));
    assertThat(answer.get("result")).isEqualTo(PushHttp.parse("{\"unsubscribed\":[\"orders\"]}"));
    assertThat(read("acme", "/api/v1/channels").get("total").asInt()).isZero();
    push.sendToChannel("orders", "order");
    push.settle();
    assertThat(plain.takeEvents()).containsExactly("order");
    assertThat(globex.takeEvents()).isEmpty();
  }

  @Test
  void aDeviceCannotReachAnotherTenantsChannelByItsKey() {
    JsonNode answer = plain.call("subscribe", PushDevice.channels("acme~orders"));
    assertThat(answer.has("error")).isTrue();
    assertThat(answer.at("/error/message").asText()).contains("\"acme~orders\"");
  }

  @Test
  void anHttpSendCannotReachAnotherTenantsChannelByItsKey() {
    PushHttp.Response answer =
        push.http.post(
            "/api/v1/notifications/channel",
            PushHttp.json("{'channel':'acme~orders','event_type':'x','payload':{}}"));
    assertThat(answer.status()).isEqualTo(422);
    push.settle();
    assertThat(acme.takeEvents()).isEmpty();
  }

  @Test
  void theSameIdempotencyKeyInTwoTenantsIsTwoSends() {
    String body = "{'target_user_id':'alice','event_type':'once','payload':{}}";
    asAcme("send", body.replace("{'target", "{'idempotency_key':'k1','target"));
    push.notify("send", body.replace("{'target", "{'idempotency_key':'k1','target"));
    push.settle();
    assertThat(acme.takeEvents()).containsExactly("once");
    assertThat(plain.takeEvents()).containsExactly("once");
    assertThat(globex.takeEvents()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "with space",
        "acme~x",
        "0123456789012345678901234567890123456789012345678901234567890123456789"
      })
  void aBadTenantHeaderIsA400NamingIt(String tenant) {
    PushHttp.Response answer = push.http.get("/api/v1/channels", "X-Tenant-ID", tenant);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().at("/error/message").asText()).contains("X-Tenant-ID");
    assertThat(answer.json().at("/error/details/field").asText()).isEqualTo("X-Tenant-ID");
  }

  @Test
  void aTokenWithABadTenantIdIsRefused() {
    String token =
        PushTokens.hmac(
            "HS256", PushTokens.SECRET, PushTokens.claims("eve").put("tenant_id", "a b"));
    assertThat(push.refusal("token=" + token, Map.of())).isEqualTo(401);
  }

  @Test
  void tenantsListEveryKnownTenantWithItsOwnCounts() {
    push.tenantDevice("acme", "bob");
    asAcme("channel", "{'channel':'orders','event_type':'order','payload':{}}");
    asAcme("broadcast", "{'event_type':'all','payload':{}}");
    JsonNode answer = push.http.ok("/api/v1/tenants");
    assertThat(answer.get("total").asInt()).isEqualTo(3);
    assertThat(answer.get("tenants").findValuesAsText("tenant_id"))
        .containsExactly("acme", "default", "globex");
    assertThat(answer.at("/tenants/0"))
        .isEqualTo(
            PushHttp.parse(
                "{\"tenant_id\":\"acme\",\"connections\":2,\"users\":2,\"channels\":1,"
                    + "\"messages_today\":2}"));
  }

  @Test
  void aTenantIsReadByIdAndAnUnknownOneIs404() {
    JsonNode globexCounts = push.http.ok("/api/v1/tenants/globex");
    assertThat(globexCounts)
        .isEqualTo(
            PushHttp.parse(
                "{\"tenant_id\":\"globex\",\"connections\":1,\"users\":1,\"channels\":2,"
                    + "\"messages_today\":0}"));
    assertThat(push.http.ok("/api/v1/tenants/default").get("connections").asInt()).isOne();
    assertThat(push.http.get("/api/v1/tenants/initech").status()).isEqualTo(404);
    assertThat(push.http.get("/api/v1/tenants/not%20one").status()).isEqualTo(404);
  }

  @Test
  void templatesAreEachTenantsOwn() {
    String template =
        PushHttp.json(
            "{'id':'shipped','name':'Shipped','event_type':'order.shipped',"
                + "'payload_template':{'id':'{{order}}'}}");
    assertThat(push.http.post("/api/v1/templates", template, "X-Tenant-ID", "acme").status())
        .isEqualTo(201);
    assertThat(push.http.post("/api/v1/templates", template, "X-Tenant-ID", "globex").status())
        .as("the same id in another tenant")
        .isEqualTo(201);

    assertThat(push.http.ok("/api/v1/templates").get("total").asInt()).isZero();
    assertThat(push.http.get("/api/v1/templates/shipped").status()).isEqualTo(404);
    JsonNode acmeTemplates = read("acme", "/api/v1/templates");
    assertThat(acmeTemplates.get("total").asInt()).isOne();
    assertThat(acmeTemplates.at("/templates/0/id").asText()).isEqualTo("shipped");
    assertThat(read("acme", "/api/v1/templates/shipped").get("id").asText()).isEqualTo("shipped");
    assertThat(
            push.http
                .post(
                    "/api/v1/notifications/send",
                    PushHttp.json(
                        "{'target_user_id':'alice','template_id':'shipped','variables':{'order':1}}"))
                .status())
        .as("the default tenant has no template shipped")
        .isNotEqualTo(200);

    asAcme("send", "{'target_user_id':'alice','template_id':'shipped','variables':{'order':7}}");
    assertThat(acme.awaitEvent("order.shipped").at("/payload/id").asInt()).isEqualTo(7);
    assertThat(
            push.http
                .sendJson("DELETE", "/api/v1/templates/shipped", "", "X-Tenant-ID", "acme")
                .status())
        .isEqualTo(204);
    assertThat(read("globex", "/api/v1/templates").get("total").asInt()).isOne();
  }

  @Test
  void aTenantsStatsCountItsOwnSendsAndNoneOfTheNodes() {
    asAcme("channel", "{'channel':'orders','event_type':'order','payload':{}}");
    push.notify("broadcast", "{'event_type':'all','payload':{}}");
    JsonNode acmeStats = read("acme", "/api/v1/stats");
    assertThat(acmeStats.at("/messages/sent_today").asInt()).isOne();
    assertThat(acmeStats.at("/messages/delivered_today").asInt()).isOne();
    assertThat(acmeStats.has("sockets")).isFalse();
    assertThat(acmeStats.has("offline_queue")).isFalse();
    JsonNode globexStats = read("globex", "/stats");
    assertThat(globexStats.at("/messages/sent_today").asInt()).isZero();
    assertThat(globexStats.has("history")).isFalse();
  }

  private static JsonNode text(String value) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
  }
}
