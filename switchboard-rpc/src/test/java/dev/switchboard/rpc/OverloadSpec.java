package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.AdaptiveLimiterConfig;
import dev.switchboard.resilience.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A connection's message rate (-32008, then 1008 for a peer that keeps going) and a handler limit
 * shared by connections (-32007). Time for the message rate is a hand-moved ticker: nothing here
 * sleeps.
 */
abstract class OverloadSpec extends PeerSpec {

  private final AtomicLong now = new AtomicLong();
  private final Probe probe = new Probe();

  /**
   * Five messages per second (burst five), an allowance of four refusals; time stands still unless
   * moved.
   */
  private RawPeer withMessageRate() {
    RateLimiterConfig rate =
        RateLimiterConfig.builder()
            .rate(5)
            .period(Duration.ofSeconds(1))
            .burst(5)
            .ticker(now::get)
            .build();
    return raw(
        methodsOf(probe),
        RpcConfig.builder()
            .pingInterval(Duration.ZERO)
            .messageRate(Optional.of(rate))
            .maxRefusedMessages(4)
            .build());
  }

  private static String touch(int id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"touch\",\"id\":" + id + "}";
  }

  @Test
  void messagesOverTheRateAreAnsweredRateLimitedWithRetryAfterAndNotRun() {
    RawPeer peer = withMessageRate();
    for (int id = 1; id <= 7; id++) {
      peer.send(touch(id));
    }
    Map<Integer, JsonNode> byId = peer.answers(7);
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

  @Test
  void theRateRefillsWithTime() {
    RawPeer peer = withMessageRate();
    for (int id = 1; id <= 6; id++) {
      peer.send(touch(id));
    }
    assertThat(peer.answers(6).get(6).get("error").get("code").asInt())
        .isEqualTo(ErrorObject.RATE_LIMITED);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
    peer.send(touch(7));
    assertThat(peer.nextJson().has("result")).isTrue();
  }

  @Test
  void aPeerThatKeepsSendingOverTheRateIsClosedWith1008() {
    RawPeer peer = withMessageRate();
    for (int id = 1; id <= 5 + 4 + 1; id++) {
      peer.send(touch(id));
    }
    assertThat(peer.closed())
        .succeedsWithin(WAIT)
        .satisfies(
            closed -> {
              assertThat(closed.code()).isEqualTo(CloseReason.POLICY_VIOLATION);
              assertThat(closed.reason()).contains("too many messages").contains("5 per second");
            });
  }

  @Test
  void notificationsOverTheRateAreDroppedWithoutAnAnswer() {
    RawPeer peer = withMessageRate();
    for (int i = 0; i < 7; i++) {
      peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"touch\"}");
    }
    // Refused too, and its answer comes after every notification was handled.
    peer.send(touch(99));
    assertThat(peer.nextJson().get("error").get("code").asInt())
        .isEqualTo(ErrorObject.RATE_LIMITED);
    await().atMost(WAIT).untilAsserted(() -> assertThat(probe.started).hasValue(5));
    peer.assertNothingElseArrived();
  }

  @Test
  void aBatchCountsAsOneMessageAndAllItsRequestsAreRefusedTogether() {
    RawPeer peer = withMessageRate();
    String batch = "[" + touch(1) + "," + touch(2) + "," + touch(3) + "]";
    for (int i = 0; i < 5; i++) {
      peer.send(batch);
      assertThat(peer.nextJson()).hasSize(3);
    }
    peer.send(batch);
    JsonNode refused = peer.nextJson();
    assertThat(refused).hasSize(3);
    refused.forEach(
        answer ->
            assertThat(answer.get("error").get("code").asInt())
                .isEqualTo(ErrorObject.RATE_LIMITED));
    assertThat(probe.started).hasValue(15);
  }

  @Test
  void callsBeyondAHandlerLimitSharedByConnectionsAreAnsweredOverloaded() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.of(
            "handlers",
            AdaptiveLimiterConfig.builder().initialLimit(2).minLimit(1).maxLimit(2).build());
    RpcConfig shared =
        RpcConfig.builder()
            .pingInterval(Duration.ZERO)
            .handlerLimiter(Optional.of(limiter))
            .build();
    RawPeer first = raw(methodsOf(probe), shared);
    RawPeer second = raw(methodsOf(probe), shared);
    first.send("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"id\":1}");
    second.send("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"id\":2}");
    await().atMost(WAIT).until(() -> probe.started.get() == 2);

    second.send(touch(3));
    JsonNode error = second.nextJson().get("error");
    assertThat(error.get("code").asInt()).isEqualTo(ErrorObject.OVERLOADED);
    assertThat(error.get("data").get("retry_after_ms").asLong()).isEqualTo(1000);
    assertThat(probe.started).hasValue(2);

    second.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":2}}");
    assertThat(second.nextJson().get("error").get("code").asInt()).isEqualTo(ErrorObject.CANCELLED);
    await().atMost(WAIT).until(() -> limiter.inFlight() == 1);
    second.send(touch(4));
    assertThat(second.nextJson().get("result").asInt()).isEqualTo(3);

    first.close(CloseReason.NORMAL, "");
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
    RawPeer peer =
        raw(
            methodsOf(probe),
            RpcConfig.builder()
                .pingInterval(Duration.ZERO)
                .handlerLimiter(Optional.of(limiter))
                .build());
    peer.send(touch(1));
    assertThat(peer.nextJson().has("result")).isTrue();
    assertThat(limiter.limit()).isEqualTo(10);
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"id\":2,\"timeout_ms\":50}");
    assertThat(peer.nextJson().get("error").get("code").asInt())
        .isEqualTo(ErrorObject.DEADLINE_EXCEEDED);
    await().atMost(WAIT).until(() -> limiter.inFlight() == 0);
    assertThat(limiter.limit()).isEqualTo(5);
  }
}
