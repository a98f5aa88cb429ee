package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's bulkhead ({@link LoadLimits#httpMaxConcurrentRequests()}), end to end. The test
 * makes the server busy by holding its only slot itself, so nothing depends on a handler being
 * slow.
 */
class PushOverloadTest {

  private PushFixture push;

  @AfterEach
  void stop() {
    if (push != null) {
      push.close();
    }
  }

  private void startWithOneSlot() {
    push =
        PushFixture.start(
            PushFixture.production().loadLimits(new LoadLimits(1, 1000, 100, 10_000)));
  }

  @Test
  void aRequestWhileEverySlotIsTakenGets503OverloadedWithRetryAfterAndDoesNothing() {
    startWithOneSlot();
    assertThat(push.server.apiRequests().tryAcquire()).isTrue();
    PushHttp.Response shed =
        push.http.post(
            "/api/v1/notifications/broadcast", PushHttp.json("{'event_type':'e','payload':1}"));
    assertThat(shed.status()).as(shed.toString()).isEqualTo(503);
    assertThat(shed.header("Retry-After")).contains("1");
    JsonNode error = shed.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("OVERLOADED");
    assertThat(error.get("message").asText())
        .contains("1 requests are in progress", "retry after 1 s");
    push.server.apiRequests().release();
    assertThat(push.stats().get("messages").get("notifications_sent").asLong()).isZero();
  }

  @Test
  void healthIsAnsweredEvenWhenEverySlotIsTaken() {
    startWithOneSlot();
    assertThat(push.server.apiRequests().tryAcquire()).isTrue();
    assertThat(push.http.get("/health").status()).isEqualTo(200);
    push.server.apiRequests().release();
  }

  @Test
  void theSlotIsFreeAgainOnceARequestIsAnsweredWhateverTheAnswer() {
    startWithOneSlot();
    for (int i = 0; i < 3; i++) {
      assertThat(push.http.get("/api/v1/channels").status()).isEqualTo(200);
      assertThat(
              push.http
                  .post(
                      "/api/v1/notifications/send",
                      PushHttp.json("{'target_user_id':'alice','payload':{}}"))
                  .status())
          .isEqualTo(422);
      assertThat(push.http.post("/api/v1/notifications/send", "not json").status()).isEqualTo(400);
    }
    assertThat(push.server.apiRequests().availablePermits()).isEqualTo(1);
  }
}
