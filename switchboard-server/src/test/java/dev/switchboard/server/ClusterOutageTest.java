package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes while their Redis goes away and comes back: sends that could not be made durable are
 * refused (503 with {@code Retry-After}), {@code /health} says degraded, connections stay up, and
 * every send answered 200 reaches its device once, in order, also those published while the
 * device's node was still reconnecting its subscription.
 */
class ClusterOutageTest {

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final AtomicInteger sent = new AtomicInteger();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private PushFixture node(RedisServerProcess redis, String id) {
    PushFixture node =
        PushFixture.start(
            PushFixture.production().cluster(ClusterSettings.redis(redis.uri()).withNodeId(id)));
    opened.add(node);
    return node;
  }

  /** One send to {@code user} through {@code node}; its event type when answered 200. */
  private List<String> send(PushFixture node, String user) {
    String event = "n-" + sent.incrementAndGet();
    PushHttp.Response answer =
        node.http.post(
            "/api/v1/notifications/send",
            PushHttp.json(
                "{'target_user_id':'" + user + "','event_type':'" + event + "','payload':{}}"));
    if (answer.status() == 200) {
      return List.of(event);
    }
    assertThat(answer.status()).as(answer.body()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(answer.body()).contains("UNAVAILABLE");
    return List.of();
  }

  @Test
  void redisAwayForSecondsLosesNothingAnswered200() throws Exception {
    RedisServerProcess redis = RedisServerProcess.startDurable();
    opened.add(redis);
    PushFixture one = node(redis, "node-1");
    PushFixture two = node(redis, "node-2");
    PushDevice phone = two.device("alice");
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      accepted.addAll(send(one, "alice"));
    }
    assertThat(accepted).hasSize(10);

    redis.stop();
    await("node-1 to say degraded")
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(one.http.get("/health").body()).contains("\"status\":\"degraded\""));
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    int refused = 0;
    while (System.nanoTime() < deadline) {
      List<String> answer = send(one, "alice");
      refused += answer.isEmpty() ? 1 : 0;
      accepted.addAll(answer);
    }
    assertThat(refused).isPositive();
    assertThat(phone.isOpen()).isTrue();

    redis.restart();
    int before = accepted.size();
    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (accepted.size() < before + 20 && System.nanoTime() < deadline) {
      accepted.addAll(send(one, "alice"));
    }
    assertThat(accepted.size()).isGreaterThanOrEqualTo(before + 20);

    await("every accepted send on alice's phone")
        .atMost(Duration.ofSeconds(15))
        .until(() -> phone.notifications().size() >= accepted.size());
    List<String> received =
        phone.notifications().stream().map(p -> p.get("event_type").asText()).toList();
    assertThat(received).containsExactlyElementsOf(accepted);
  }

  @Test
  void redisRestartedEmptyChangesTheEpochAndRecoverySaysSo() throws Exception {
    RedisServerProcess redis = RedisServerProcess.start();
    opened.add(redis);
    PushFixture one = node(redis, "node-1");
    PushFixture two = node(redis, "node-2");
    PushDevice tv = two.device("bob");
    tv.subscribe("news");
    for (int i = 0; i < 3; i++) {
      one.sendToChannel("news", "before-" + i);
    }
    await().atMost(WAIT).until(() -> tv.notifications().size() == 3);
    com.fasterxml.jackson.databind.JsonNode last = tv.notifications().getLast();
    String epoch = last.get("epoch").asText();

    redis.restart();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    PushHttp.Response answer;
    do {
      answer =
          one.http.post(
              "/api/v1/notifications/channel",
              PushHttp.json("{'channel':'news','event_type':'after','payload':{}}"));
    } while (answer.status() != 200 && System.nanoTime() < deadline);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);

    // The live device gets what came after, at offset 1 of a new epoch.
    com.fasterxml.jackson.databind.JsonNode after = tv.awaitEvent("after");
    assertThat(after.get("offset").asLong()).isOne();
    assertThat(after.get("epoch").asText()).isNotEqualTo(epoch);
    // A device that recovers from before the restart is told it cannot.
    PushDevice phone = one.device("carol");
    // Right after the outage the breaker lets few calls through while it tries Redis again: a
    // subscribe it refuses answers an error, and the device tries again.
    java.util.concurrent.atomic.AtomicReference<com.fasterxml.jackson.databind.JsonNode> answered =
        new java.util.concurrent.atomic.AtomicReference<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              answered.set(phone.recover("news", last.get("offset").asLong(), epoch));
              return answered.get().has("result");
            });
    com.fasterxml.jackson.databind.JsonNode recovered = answered.get();
    assertThat(recovered.at("/result/recovered/news").isBoolean())
        .as(recovered.toString())
        .isTrue();
    assertThat(recovered.at("/result/recovered/news").asBoolean())
        .as(recovered.toString())
        .isFalse();
    assertThat(recovered.at("/result/positions/news/epoch").asText())
        .as(recovered.toString())
        .isEqualTo(after.get("epoch").asText());
  }
}
