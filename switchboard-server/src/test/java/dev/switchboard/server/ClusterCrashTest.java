package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node killed with {@code kill -9} while a publisher sends through another: the node drops out of
 * the cluster within 6 s, and its device, reconnecting to the other node and recovering its channel
 * by offset, ends with every notification answered 200, once each, in order.
 */
class ClusterCrashTest {

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  /** {@code channel} send through {@code node}: its offset-carrying answer. */
  private static JsonNode send(PushFixture node, int n) {
    return node.sendToChannel("news", "n-" + n);
  }

  private static List<Long> offsets(List<JsonNode> notifications) {
    return notifications.stream()
        .filter(p -> p.path("channel").asText().equals("news"))
        .map(p -> p.get("offset").asLong())
        .toList();
  }

  @Test
  void aDeviceOfACrashedNodeRecoversEverythingOnAnotherNode() throws Exception {
    RedisServerProcess redis = RedisServerProcess.start();
    opened.add(redis);
    NodeProcess crashing =
        NodeProcess.start(
            Map.of(
                "SWITCHBOARD_REDIS_URL", redis.uri(), "SWITCHBOARD_CLUSTER_NODE_ID", "crashing"));
    opened.add(crashing);
    PushFixture survivor =
        PushFixture.start(
            PushFixture.production()
                .cluster(ClusterSettings.redis(redis.uri()).withNodeId("survivor")));
    opened.add(survivor);
    PushDevice before =
        PushDevice.connect(
            "alice@crashing", crashing.ws("token=" + PushTokens.valid("alice")), Map.of());
    opened.add(before);
    before.awaitReady();
    before.subscribe("news");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(survivor.http.get("/api/v1/channels/news").body())
                    .contains("\"subscribers\":1"));
    int n = 0;
    for (; n < 20; n++) {
      send(survivor, n);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> before.notifications().size() == 20);

    crashing.crash();
    long crashed = System.nanoTime();
    for (int i = 0; i < 3; i++, n++) {
      send(survivor, n); // answered once the crashed node's answer times out, or it is gone
    }
    await("the crashed node to drop out")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(survivor.http.ok("/api/v1/cluster/status").get("healthy_nodes").asInt())
                    .isOne());
    long droppedOutMillis = Duration.ofNanos(System.nanoTime() - crashed).toMillis();
    assertThat(droppedOutMillis).as("dropped out after %d ms", droppedOutMillis).isLessThan(8_000);

    JsonNode last = before.notifications().getLast();
    PushDevice after = survivor.device("alice");
    JsonNode recovered =
        after.recover("news", last.get("offset").asLong(), last.get("epoch").asText());
    assertThat(recovered.at("/result/recovered/news").asBoolean())
        .as(recovered.toString())
        .isTrue();
    for (int i = 0; i < 10; i++, n++) {
      send(survivor, n);
    }
    int total = n;
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> before.notifications().size() + after.notifications().size() >= total);

    List<Long> seen = new ArrayList<>(offsets(before.notifications()));
    seen.addAll(offsets(after.notifications()));
    List<Long> expected = new ArrayList<>();
    for (long offset = 1; offset <= total; offset++) {
      expected.add(offset);
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }
}
