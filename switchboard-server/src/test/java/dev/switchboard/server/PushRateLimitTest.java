package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's token buckets (one per accepted API key, one per address for the rest) and the
 * per-address limit on WebSocket upgrades, end to end. Budgets are tiny (1 request/s, burst 3) so
 * that a burst spends one at once; nothing sleeps for a refill: the headers say what the bucket
 * holds. Every test runs its own server, so every budget starts full.
 */
class PushRateLimitTest {

  private static final RateLimits HTTP_ONLY = new RateLimits(1, 3, 0);
  private static final String KEY_A = "rate-limit-key-a-0123456789";
  private static final String KEY_B = "rate-limit-key-b-0123456789";

  private PushFixture push;

  @AfterEach
  void stop() {
    if (push != null) {
      push.close();
    }
  }

  /** A client of the running server sending {@code apiKey} (or no key). */
  private PushHttp client(Optional<String> apiKey) {
    return new PushHttp(push.server.port(), apiKey);
  }

  private static void assertAllowed(PushHttp.Response response, int remaining) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.header("X-RateLimit-Limit")).contains("3");
    assertThat(response.header("X-RateLimit-Remaining")).contains(String.valueOf(remaining));
    assertThat(response.header("Retry-After")).isEmpty();
  }

  private static void assertLimited(PushHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(429);
    assertThat(response.header("X-RateLimit-Limit")).contains("3");
    assertThat(response.header("X-RateLimit-Remaining")).contains("0");
    // 1 token a second: the next one comes within 1 s, a full bucket (3 tokens) within 3 s.
    assertThat(response.header("Retry-After")).contains("1");
    assertThat(Long.parseLong(response.header("X-RateLimit-Reset").orElseThrow()))
        .isBetween(1L, 3L);
    JsonNode body = response.json();
    assertThat(PushHttp.fieldNames(body)).containsExactly("error");
    assertThat(PushHttp.fieldNames(body.get("error")))
        .containsExactly("code", "message", "details", "retry_after_seconds");
    assertThat(body.get("error").get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
    assertThat(body.get("error").get("retry_after_seconds").asLong())
        .as("as Retry-After says")
        .isEqualTo(1);
    assertThat(body.get("error").get("message").asText()).contains("1 per second", "burst of 3");
    assertThat(body.get("error").get("details").isNull()).isTrue();
  }

  @Test
  void theFourthRequestOfABurstGets429WithTheBudgetInItsHeaders() {
    push = PushFixture.start(PushFixture.production().rateLimits(HTTP_ONLY));
    assertAllowed(push.http.get("/stats"), 2);
    assertAllowed(
        push.http.post(
            "/api/v1/notifications/broadcast", PushHttp.json("{'event_type':'e','payload':1}")),
        1);
    assertAllowed(push.http.get("/api/v1/channels"), 0);
    assertLimited(push.http.get("/stats"));
    assertLimited(
        push.http.post(
            "/api/v1/notifications/broadcast", PushHttp.json("{'event_type':'e','payload':1}")));
  }

  @Test
  void eachApiKeyHasItsOwnBudget() {
    // Development mode accepts any key, so two keys can be told apart.
    push = PushFixture.start(PushFixture.development().rateLimits(HTTP_ONLY));
    PushHttp a = client(Optional.of(KEY_A));
    PushHttp b = client(Optional.of(KEY_B));
    for (int remaining = 2; remaining >= 0; remaining--) {
      assertAllowed(a.get("/stats"), remaining);
    }
    assertLimited(a.get("/stats"));
    assertAllowed(b.get("/stats"), 2);
    assertAllowed(client(Optional.empty()).get("/stats"), 2);
    assertLimited(a.get("/stats"));
  }

  @Test
  void requestsWithoutAKeyShareTheAddressBudget() {
    push = PushFixture.start(PushFixture.development().rateLimits(HTTP_ONLY));
    assertAllowed(client(Optional.empty()).get("/stats"), 2);
    assertAllowed(client(Optional.empty()).get("/api/v1/channels"), 1);
    assertAllowed(client(Optional.empty()).get("/stats"), 0);
    assertLimited(client(Optional.empty()).get("/stats"));
    assertAllowed(client(Optional.of(KEY_A)).get("/stats"), 2);
  }

  @Test
  void wrongKeysSpendTheAddressBudgetNotFreshOnes() {
    push = PushFixture.start(PushFixture.production().rateLimits(HTTP_ONLY));
    for (int i = 0; i < 3; i++) {
      PushHttp.Response response = client(Optional.of("wrong-key-number-" + i)).get("/stats");
      assertThat(response.status()).as(response.toString()).isEqualTo(401);
      assertThat(response.header("X-RateLimit-Remaining")).contains(String.valueOf(2 - i));
    }
    assertLimited(client(Optional.of("wrong-key-number-3")).get("/stats"));
    assertLimited(client(Optional.empty()).get("/stats"));
    assertAllowed(push.http.get("/stats"), 2); // the configured key has its own budget
  }

  @Test
  void healthIsNeverLimited() {
    push = PushFixture.start(PushFixture.production().rateLimits(HTTP_ONLY));
    PushHttp anonymous = client(Optional.empty());
    for (int i = 0; i < 4; i++) {
      anonymous.get("/stats");
    }
    assertLimited(anonymous.get("/stats"));
    for (int i = 0; i < 10; i++) {
      PushHttp.Response health = anonymous.get("/health");
      assertThat(health.status()).as(health.toString()).isEqualTo(200);
      assertThat(health.header("X-RateLimit-Limit")).isEmpty();
    }
  }

  @Test
  void aServerConfigBuiltInCodeLimitsNothing() {
    push = PushFixture.start(PushFixture.production());
    for (int i = 0; i < 20; i++) {
      PushHttp.Response response = push.http.get("/stats");
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      assertThat(response.header("X-RateLimit-Limit")).isEmpty();
    }
  }

  @Test
  void upgradesBeyondTheLimitPerMinuteFromOneAddressGet429() {
    push = PushFixture.start(PushFixture.development().rateLimits(new RateLimits(0, 0, 2)));
    push.anonymousDevice();
    push.anonymousDevice();
    assertThat(push.refusal("", Map.of())).isEqualTo(429);
    assertThat(push.refusal("", Map.of())).isEqualTo(429);
    assertThat(push.stats().get("connections_total").get("refused").asLong()).isEqualTo(2);
    // The HTTP API is not limited by it, and the devices already connected keep working.
    push.settle();
  }
}
