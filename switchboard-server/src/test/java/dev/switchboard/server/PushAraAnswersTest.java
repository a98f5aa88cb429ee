package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read endpoints answer in the shapes of Ara's API reference (docs/en/03-api-reference.md of
 * the Ara notification service), beside the fields our own clients read: subscriptions, a channel's
 * {@code created_at}, {@code /api/v1/stats}, {@code /health} and the cluster endpoints of a single
 * node.
 */
class PushAraAnswersTest {

  private PushFixture push;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production());
  }

  @AfterEach
  void stop() {
    push.close();
  }

  @Test
  void aUsersSubscriptionsAreAnsweredAsSubscriptionsAndAsChannels() {
    push.device("alice").subscribe("orders", "alerts");

    JsonNode answer = push.http.ok("/api/v1/users/alice/subscriptions");

    assertThat(answer.get("user_id").asText()).isEqualTo("alice");
    assertThat(answer.get("subscriptions")).containsExactly(text("alerts"), text("orders"));
    assertThat(answer.get("channels")).isEqualTo(answer.get("subscriptions"));
    assertThat(answer.get("connections").asInt()).isEqualTo(1);
  }

  @Test
  void aChannelSaysSinceWhenItHasSubscribers() {
    Instant before = Instant.now();
    push.device("alice").subscribe("orders");

    JsonNode channel = push.http.ok("/api/v1/channels/orders");

    assertThat(channel.get("name").asText()).isEqualTo("orders");
    assertThat(channel.get("subscribers").asInt()).isEqualTo(1);
    assertThat(Instant.parse(channel.get("created_at").asText()))
        .isBetween(before.minusSeconds(1), Instant.now());
  }

  @Test
  void apiStatsHasAraNestedShape() {
    push.device("alice").subscribe("orders", "alerts");
    push.device("alice").subscribe("orders");
    push.device("bob");
    push.sendToChannel("orders", "order.created");
    push.settle();

    JsonNode stats = push.http.ok("/api/v1/stats");

    assertThat(stats.get("connections"))
        .isEqualTo(PushHttp.parse("{\"total\":3,\"websocket\":3,\"sse\":0}"));
    assertThat(stats.get("users"))
        .isEqualTo(PushHttp.parse("{\"connected\":2,\"with_multiple_connections\":1}"));
    assertThat(stats.get("channels"))
        .isEqualTo(PushHttp.parse("{\"active\":2,\"total_subscriptions\":3}"));
    JsonNode messages = stats.get("messages");
    assertThat(messages.get("sent_today").asLong())
        .as("the send and settle()'s marker, all of them today")
        .isEqualTo(2)
        .isEqualTo(messages.get("notifications_sent").asLong());
    assertThat(messages.get("delivered_today").asLong())
        .as("two devices on orders, then the marker to all three")
        .isEqualTo(5);
    assertThat(messages.get("failed_today").asLong()).isZero();
    assertThat(messages.has("slow_consumers_disconnected"))
        .as("our own counters stay beside Ara's")
        .isTrue();
    assertThat(stats.has("offline_queue")).isTrue();
    assertThat(push.stats().get("connections").asInt()).as("/stats keeps its shape").isEqualTo(3);
  }

  @Test
  void healthIsHealthyAndDetailedOnAsking() {
    push.device("alice");
    PushHttp keyless = new PushHttp(push.server.port(), java.util.Optional.empty());

    JsonNode simple = keyless.get("/health").json();
    assertThat(simple.get("status").asText()).isEqualTo("healthy");
    assertThat(simple.has("components")).isFalse();

    PushHttp.Response detailed = keyless.get("/health?detailed=true");
    assertThat(detailed.status()).isEqualTo(200);
    JsonNode body = detailed.json();
    assertThat(body.get("status").asText()).isEqualTo("healthy");
    assertThat(body.at("/components/websocket/connections").asInt()).isEqualTo(1);
    assertThat(body.at("/components/presence/status").asText()).isEqualTo("healthy");
    assertThat(body.at("/stats/connections_total").asInt()).isEqualTo(1);
  }

  @Test
  void theClusterIsThisNodeAlone() {
    push.device("alice").subscribe("orders");

    JsonNode status = push.http.ok("/api/v1/cluster/status");
    String node = status.get("node_id").asText();
    assertThat(status.get("nodes")).containsExactly(text(node));
    assertThat(status.get("healthy_nodes").asInt()).isEqualTo(1);
    assertThat(status.get("total_connections").asInt()).isEqualTo(1);

    JsonNode alice = push.http.ok("/api/v1/cluster/users/alice");
    assertThat(alice.get("found").asBoolean()).isTrue();
    assertThat(alice.get("node_id").asText()).isEqualTo(node);
    assertThat(alice.get("connections").asInt()).isEqualTo(1);
    assertThat(alice.get("channels")).containsExactly(text("orders"));

    JsonNode nobody = push.http.ok("/api/v1/cluster/users/nobody");
    assertThat(nobody.get("found").asBoolean()).isFalse();
    assertThat(nobody.get("connections").asInt()).isZero();
  }

  private static JsonNode text(String value) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
  }
}
