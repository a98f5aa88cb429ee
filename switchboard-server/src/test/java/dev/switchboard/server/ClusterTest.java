package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes sharing one real {@code redis-server}: a send through any node reaches the right
 * devices on every node, each once, and the HTTP API answers for the whole cluster.
 */
class ClusterTest {

  private static RedisServerProcess redis;

  private final List<PushFixture> nodes = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startThreeNodes() {
    redis.flushAll();
    for (int i = 1; i <= 3; i++) {
      nodes.add(node("node-" + i));
    }
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(PushFixture::close);
  }

  private static PushFixture node(String id) {
    return PushFixture.start(
        PushFixture.production().cluster(ClusterSettings.redis(redis.uri()).withNodeId(id)));
  }

  private PushFixture node(int n) {
    return nodes.get(n - 1);
  }

  /**
   * Each node broadcasts a marker and waits for its own devices to have it: every send answered
   * before has then reached every device.
   */
  private void settleAll() {
    nodes.forEach(PushFixture::settle);
  }

  @Test
  void aSendToAUserReachesItsDevicesOnEveryNodeEachOnce() {
    PushDevice phone = node(1).device("alice");
    PushDevice laptop = node(2).device("alice");
    PushDevice other = node(3).device("bob");

    JsonNode answer = node(3).sendTo("alice", "hello");

    assertThat(answer.get("delivered_to").asInt()).isEqualTo(2);
    assertThat(answer.get("queued").asBoolean()).isFalse();
    settleAll();
    assertThat(phone.takeEvents()).containsExactly("hello");
    assertThat(laptop.takeEvents()).containsExactly("hello");
    assertThat(other.takeEvents()).isEmpty();
  }

  @Test
  void aChannelAndABroadcastReachEverySubscriberOnEveryNodeEachOnce() {
    List<PushDevice> devices = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      PushDevice device = node(n).device("user-" + n);
      device.subscribe("news");
      devices.add(device);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(node(1).http.get("/api/v1/channels/news").body())
                    .contains("\"subscribers\":3"));

    JsonNode channel = node(1).sendToChannel("news", "headline");
    node(2).notify("broadcast", "{'event_type':'everyone','payload':{}}");

    assertThat(channel.get("delivered_to").asInt()).isEqualTo(3);
    settleAll();
    for (PushDevice device : devices) {
      assertThat(device.takeEvents()).containsExactly("headline", "everyone");
    }
  }

  @Test
  void aUserOfflineOnEveryNodeIsQueuedAndGetsItOnAnyNode() {
    JsonNode answer = node(1).sendTo("carol", "while-away");

    assertThat(answer.get("queued").asBoolean()).isTrue();
    PushDevice device = node(3).device("carol");
    settleAll();
    assertThat(device.takeEvents()).containsExactly("while-away");
  }

  @Test
  void theClusterApiSeesEveryNodeAndWhereAUserIs() {
    node(1).device("dave");
    node(2).device("dave");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonNode status = node(3).http.ok("/api/v1/cluster/status");
              assertThat(PushHttp.fieldNames(status)).contains("node_id", "nodes");
              assertThat(status.get("node_id").asText()).isEqualTo("node-3");
              assertThat(status.get("healthy_nodes").asInt()).isEqualTo(3);
              assertThat(status.get("total_connections").asInt()).isEqualTo(2);
              JsonNode user = node(3).http.ok("/api/v1/cluster/users/dave");
              assertThat(user.get("connections").asInt()).isEqualTo(2);
              assertThat(user.get("nodes")).hasSize(2);
            });
  }

  @Test
  void aNodeThatShutsDownLeavesTheClusterAtOnce() {
    nodes.remove(2).close();

    JsonNode status = node(1).http.ok("/api/v1/cluster/status");

    assertThat(status.get("healthy_nodes").asInt()).isEqualTo(2);
  }

  @Test
  void aTriggerPublishedOnceIsDeliveredOnce() {
    PushDevice device = node(2).device("erin");
    String trigger =
        "{\"type\":\"user\",\"target\":\"erin\",\"event\":{\"event_type\":\"from-redis\","
            + "\"payload\":{\"id\":\""
            + UUID.randomUUID()
            + "\"}}}";

    await("a node to take the triggers lease")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                nodes.stream()
                    .anyMatch(n -> n.stats().path("triggers").path("lease_held").asBoolean()));
    redis.call("PUBLISH", "notification:user:erin", trigger);

    device.awaitEvent("from-redis");
    settleAll();
    assertThat(device.takeEvents()).containsExactly("from-redis");
  }

  @Test
  void theMetricsShowRedisTheNodesAndTheTriggers() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String metrics = node(1).http.get("/metrics").body();
              assertThat(metrics)
                  .contains("switchboard_redis_up 1.0")
                  .contains("switchboard_cluster_nodes 3.0")
                  .contains("switchboard_redis_triggers_total{outcome=\"malformed\"}")
                  .contains("switchboard_redis_publications_dropped_total 0.0")
                  .containsPattern("resilience[_a-z]*circuit[_a-z]*\\{[^}]*name=\"redis\"");
            });
  }

  @Test
  void aRepeatWithTheSameIdempotencyKeyThroughAnotherNodeGetsTheFirstAnswer() {
    PushDevice phone = node(3).device("frank");
    String body = PushHttp.json("{'target_user_id':'frank','event_type':'once','payload':{}}");

    PushHttp.Response first =
        node(1).http.post("/api/v1/notifications/send", body, "Idempotency-Key", "order-42");
    PushHttp.Response repeat =
        node(2).http.post("/api/v1/notifications/send", body, "Idempotency-Key", "order-42");

    assertThat(first.status()).isEqualTo(200);
    assertThat(repeat.status()).isEqualTo(200);
    assertThat(PushHttp.parse(repeat.body())).isEqualTo(PushHttp.parse(first.body()));
    settleAll();
    assertThat(phone.takeEvents()).containsExactly("once");
  }

  @Test
  void whatAnAckingDeviceDidNotAcknowledgeComesAgainOnAnotherNode() {
    PushDevice phone = node(1).device("grace", "ack=1");
    JsonNode sent = node(2).sendTo("grace", "owed");
    String id = sent.get("notification_id").asText();
    phone.awaitEvent("owed");
    phone.close();
    node(1).awaitConnections(0);

    PushDevice laptop = node(3).device("grace", "ack=1");

    assertThat(laptop.awaitEvent("owed").get("id").asText()).isEqualTo(id);
    assertThat(laptop.ack(id).get("result").get("acked").asBoolean()).isTrue();
    laptop.close();
    node(3).awaitConnections(0);
    PushDevice tablet = node(2).device("grace", "ack=1");
    settleAll();
    assertThat(tablet.takeEvents()).isEmpty();
  }

  @Test
  void aTemplateMadeOnOneNodeSendsFromAnother() {
    PushDevice phone = node(3).device("heidi");
    PushHttp.Response created =
        node(1)
            .http
            .post(
                "/api/v1/templates",
                PushHttp.json(
                    "{'id':'hello','name':'Hello','event_type':'hello.sent',"
                        + "'payload_template':{'text':'hi {{name}}'}}"));
    assertThat(created.status()).isEqualTo(201);

    node(2)
        .notify(
            "send", "{'target_user_id':'heidi','template_id':'hello','variables':{'name':'H'}}");

    assertThat(phone.awaitEvent("hello.sent").at("/payload/text").asText()).isEqualTo("hi H");
  }

  @Test
  void tenantsStayApartAcrossNodes() {
    PushDevice acme = node(1).tenantDevice("acme", "ivan");
    PushDevice globex = node(2).tenantDevice("globex", "ivan");
    acme.subscribe("orders");
    globex.subscribe("orders");

    PushHttp.Response sent =
        node(3)
            .http
            .post(
                "/api/v1/notifications/channel",
                PushHttp.json("{'channel':'orders','event_type':'acme-only','payload':{}}"),
                "X-Tenant-ID",
                "acme");

    assertThat(PushHttp.parse(sent.body()).get("delivered_to").asInt()).isOne();
    acme.awaitEvent("acme-only");
    settleAll();
    assertThat(globex.takeEvents()).isEmpty();
  }
}
