package dev.switchboard.server;

import static dev.switchboard.server.TestServer.WAIT;
import static dev.switchboard.server.TestServer.answers;
import static dev.switchboard.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.AdaptiveLimiterConfig;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.websocket.CloseCodes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's message rate (-32008, then 1008 for a peer that keeps going) and the server-wide
 * handler limit (-32007), over real sockets. Time for the message rate is a hand-moved ticker:
 * nothing here sleeps.
 */
class RpcOverloadTest {

  private final AtomicLong now = new AtomicLong();
  private final Probe probe = new Probe();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Five messages per second (burst five), an allowance of four refusals; time stands still unless
   * moved.
   */
  private void startWithMessageRate() {
    RateLimiterConfig rate =
        RateLimiterConfig.builder()
            .rate(5)
            .period(Duration.ofSeconds(1))
            .burst(5)
            .ticker(now::get)
            .build();
    server =
        TestServer.start(
            RpcMethods.builder().register(probe).build(),
            RpcConfig.builder()
                .pingInterval(Duration.ZERO)
                .messageRate(Optional.of(rate))
                .maxRefusedMessages(4)
                .build());
  }

  private static String touch(int id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"touch\",\"id\":" + id + "}";
  }

  /**
   * Under {@code switchboard serve}'s own defaults (50 a second after a burst of 200): a JSON-RPC
   * client that fires 200 calls at once, as clients do at start-up, gets 200 answers; one that
   * keeps flooding is still cut off.
   */
  @Test
  void underServesDefaultsAClientMayBurst200CallsButAFloodIsStillCutOff() {
    try (SwitchboardServer serve =
            SwitchboardServer.start(
                ConfigLoader.load(
                    Optional.empty(), Map.of(), Map.of("host", "127.0.0.1", "port", "0")));
        RawWebSocket socket = RawWebSocket.connect(serve.webSocketUri())) {
      for (int id = 1; id <= 200; id++) {
        socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":" + id + "}");
      }
      Map<Integer, JsonNode> byId = answers(socket, 200);
      assertThat(byId.values())
          .as("answers to a burst of 200")
          .allSatisfy(answer -> assertThat(answer.path("result").asText()).isEqualTo("pong"));
      for (int id = 201; id <= 1000 && !socket.closed().isDone(); id++) {
        socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":" + id + "}");
      }
      assertThat(socket.closed())
          .succeedsWithin(WAIT)
          .extracting(RawWebSocket.Closed::code)
          .isEqualTo(CloseCodes.POLICY_VIOLATION);
    }
  }

  @Test
  void messagesOverTheRateAreAnsweredRateLimitedWithRetryAfterAndNotRun() {
    startWithMessageRate();
    try (RawWebSocket socket = server.raw()) {
      for (int id = 1; id <= 7; id++) {
        socket.sendText(touch(id));
      }
      Map<Integer, JsonNode> byId = answers(socket, 7);
      for (int id = 1; id <= 5; id++) {
        assertThat(byId.get(id).has("result")).as("message %d is within the burst", id).isTrue();
      }
      for (int id = 6; id <= 7; id++) {
        JsonNode error = byId.get(id).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(ErrorObject.RATE_LIMITED);
        assertThat(error.get("data").get("retry_after_ms").asLong())
            .isEqualTo(200); // one token at 5/s
      }
      assertThat(probe.started).hasValue(5);
    }
  }

  @Test
  void theRateRefillsWithTime() {
    startWithMessageRate();
    try (RawWebSocket socket = server.raw()) {
      for (int id = 1; id <= 6; id++) {
        socket.sendText(touch(id));
      }
      assertThat(answers(socket, 6).get(6).get("error").get("code").asInt())
          .isEqualTo(ErrorObject.RATE_LIMITED);
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
      socket.sendText(touch(7));
      assertThat(json(socket.nextText(WAIT)).has("result")).isTrue();
    }
  }

  @Test
  void aPeerThatKeepsSendingOverTheRateIsClosedWith1008() {
    startWithMessageRate();
    try (RawWebSocket socket = server.raw()) {
      for (int id = 1; id <= 5 + 4 + 1; id++) {
        socket.sendText(touch(id));
      }
      RawWebSocket.Closed closed =
          socket.closed().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
      assertThat(closed.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(closed.reason()).contains("too many messages").contains("5 per second");
    }
  }

  @Test
  void notificationsOverTheRateAreDroppedWithoutAnAnswer() {
    startWithMessageRate();
    try (RawWebSocket socket = server.raw()) {
      for (int i = 0; i < 7; i++) {
        socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"touch\"}");
      }
      socket.sendText(
          touch(99)); // refused too, and its answer comes after every notification was handled
      assertThat(json(socket.nextText(WAIT)).get("error").get("code").asInt())
          .isEqualTo(ErrorObject.RATE_LIMITED);
      await().atMost(WAIT).untilAsserted(() -> assertThat(probe.started).hasValue(5));
      assertThat(socket.nothingWithin(Duration.ofMillis(100))).isTrue();
    }
  }

  @Test
  void aBatchCountsAsOneMessageAndAllItsRequestsAreRefusedTogether() {
    startWithMessageRate();
    try (RawWebSocket socket = server.raw()) {
      String batch = "[" + touch(1) + "," + touch(2) + "," + touch(3) + "]";
      for (int i = 0; i < 5; i++) {
        socket.sendText(batch);
        assertThat(json(socket.nextText(WAIT))).hasSize(3);
      }
      socket.sendText(batch);
      JsonNode refused = json(socket.nextText(WAIT));
      assertThat(refused).hasSize(3);
      refused.forEach(
          answer ->
              assertThat(answer.get("error").get("code").asInt())
                  .isEqualTo(ErrorObject.RATE_LIMITED));
      assertThat(probe.started).hasValue(15);
    }
  }

  @Test
  void callsBeyondTheServerWideHandlerLimitAreAnsweredOverloaded() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.of(
            "handlers",
            AdaptiveLimiterConfig.builder().initialLimit(2).minLimit(1).maxLimit(2).build());
    server =
        TestServer.start(
            RpcMethods.builder().register(probe).build(),
            RpcConfig.builder()
                .pingInterval(Duration.ZERO)
                .handlerLimiter(Optional.of(limiter))
                .build());
    try (RawWebSocket first = server.raw();
        RawWebSocket second = server.raw()) {
      first.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"id\":1}");
      second.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"id\":2}");
      await().atMost(WAIT).until(() -> probe.started.get() == 2);

      second.sendText(touch(3));
      JsonNode error = json(second.nextText(WAIT)).get("error");
      assertThat(error.get("code").asInt()).isEqualTo(ErrorObject.OVERLOADED);
      assertThat(error.get("data").get("retry_after_ms").asLong()).isEqualTo(1000);
      assertThat(probe.started).hasValue(2);

      second.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":2}}");
      assertThat(json(second.nextText(WAIT)).get("error").get("code").asInt())
          .isEqualTo(ErrorObject.CANCELLED);
      await().atMost(WAIT).until(() -> limiter.inFlight() == 1);
      second.sendText(touch(4));
      assertThat(json(second.nextText(WAIT)).get("result").asInt()).isEqualTo(3);
    }
    await().atMost(WAIT).until(() -> limiter.inFlight() == 0);
  }

  @Test
  void aHandlerThatOverrunsItsDeadlineShrinksTheLimitAndOneThatSucceedsDoesNot() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.of(
            "handlers",
            AdaptiveLimiterConfig.builder()
                .initialLimit(10)
                .minLimit(1)
                .maxLimit(10)
                .backoffRatio(0.5)
                .build());
    server =
        TestServer.start(
            RpcMethods.builder().register(probe).build(),
            RpcConfig.builder()
                .pingInterval(Duration.ZERO)
                .handlerLimiter(Optional.of(limiter))
                .build());
    try (RawWebSocket socket = server.raw()) {
      socket.sendText(touch(1));
      assertThat(json(socket.nextText(WAIT)).has("result")).isTrue();
      assertThat(limiter.limit()).isEqualTo(10);
      socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"id\":2,\"timeout_ms\":50}");
      assertThat(json(socket.nextText(WAIT)).get("error").get("code").asInt())
          .isEqualTo(ErrorObject.DEADLINE_EXCEEDED);
      await().atMost(WAIT).until(() -> limiter.inFlight() == 0);
      assertThat(limiter.limit()).isEqualTo(5);
    }
  }
}
