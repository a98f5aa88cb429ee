package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKey;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Backends prove themselves with {@code X-API-Key}; production mode requires it (and refuses to
 * start without a key and a JWT key), development mode lets anonymous devices in and needs no key
 * unless one is configured.
 */
class PushApiKeyTest {

  private static final String SEND = "/api/v1/notifications/send";
  private static final String BODY =
      PushHttp.json("{'target_user_id':'alice','event_type':'e','payload':{}}");

  @Test
  void productionModeRequiresTheApiKeyOnEveryApiPath() {
    try (PushFixture push = PushFixture.start(PushFixture.production())) {
      PushHttp keyless = new PushHttp(push.server.port(), Optional.empty());

      for (String path :
          new String[] {"/stats", "/api/v1/channels", "/api/v1/users/alice/subscriptions"}) {
        assertUnauthorized(keyless.get(path), "missing X-API-Key header");
      }
      assertUnauthorized(keyless.post(SEND, BODY), "missing X-API-Key header");
      assertThat(push.server.registry().connectionCount()).isZero();
    }
  }

  @Test
  void aWrongApiKeyIsRefusedWith401() {
    try (PushFixture push = PushFixture.start(PushFixture.production())) {
      PushHttp wrong = new PushHttp(push.server.port(), Optional.of(PushFixture.API_KEY + "x"));
      PushHttp prefix =
          new PushHttp(push.server.port(), Optional.of(PushFixture.API_KEY.substring(0, 20)));

      assertUnauthorized(wrong.post(SEND, BODY), "invalid API key");
      assertUnauthorized(prefix.get("/stats"), "invalid API key");
      assertUnauthorized(wrong.post(SEND, "{not json"), "invalid API key");
    }
  }

  @Test
  void theRightApiKeyIsLetThrough() {
    try (PushFixture push = PushFixture.start(PushFixture.production())) {
      assertThat(push.http.post(SEND, BODY).status()).isEqualTo(200);
      assertThat(push.http.get("/stats").status()).isEqualTo(200);
    }
  }

  @Test
  void healthNeedsNoKey() {
    try (PushFixture push = PushFixture.start(PushFixture.production())) {
      PushHttp keyless = new PushHttp(push.server.port(), Optional.empty());

      PushHttp.Response health = keyless.get("/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().get("status").asText()).isEqualTo("healthy");
    }
  }

  @Test
  void developmentModeLetsAnonymousDevicesInAndNeedsNoKey() {
    try (PushFixture push = PushFixture.start(PushFixture.development())) {
      PushDevice device = push.anonymousDevice();

      assertThat(push.http.ok("/api/v1/notifications/broadcast", BODY).get("delivered_to").asInt())
          .isEqualTo(1);
      assertThat(device.awaitEvent("e")).isNotNull();
      assertThat(push.stats().get("connections").asInt()).isEqualTo(1);
      String user = push.server.registry().devices().iterator().next().userId();
      assertThat(user).startsWith("anonymous-");
    }
  }

  @Test
  void developmentModeWithAKeyConfiguredRequiresIt() {
    try (PushFixture push =
        PushFixture.start(PushFixture.development().apiKey(ApiKey.of(PushFixture.API_KEY)))) {
      assertUnauthorized(
          new PushHttp(push.server.port(), Optional.empty()).get("/stats"), "missing X-API-Key");
      assertThat(push.http.get("/stats").status()).isEqualTo(200);
    }
  }

  @Test
  void developmentModeStillChecksATokenWhenAJwtKeyIsConfigured() {
    try (PushFixture push =
        PushFixture.start(PushFixture.development().jwt(PushTokens.hs256Config()))) {
      assertThat(push.refusal("token=not-a-jwt", Map.of())).isEqualTo(401);
      PushDevice alice = push.device("alice");
      push.notify("send", "{'target_user_id':'alice','event_type':'hi','payload':{}}");
      assertThat(alice.awaitEvent("hi")).isNotNull();
    }
  }

  @Test
  void productionModeRefusesToStartWithoutAJwtKeyAndAnApiKey() {
    assertThatThrownBy(() -> ServerConfig.builder().mode(Mode.PRODUCTION).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("JWT key")
        .hasMessageContaining("API key");
    assertThatThrownBy(
            () ->
                ServerConfig.builder()
                    .mode(Mode.PRODUCTION)
                    .apiKey(ApiKey.of(PushFixture.API_KEY))
                    .build())
        .hasMessageContaining("JWT key")
        .hasMessageNotContaining("API key");
    assertThatThrownBy(
            () ->
                ServerConfig.builder().mode(Mode.PRODUCTION).jwt(PushTokens.hs256Config()).build())
        .hasMessageContaining("API key")
        .hasMessageNotContaining("JWT key");
  }

  @Test
  void errorsHaveCodeMessageAndDetails() {
    try (PushFixture push = PushFixture.start(PushFixture.production())) {
      JsonNode error = new PushHttp(push.server.port(), Optional.empty()).get("/stats").json();

      assertThat(PushHttp.fieldNames(error)).containsExactly("error");
      assertThat(PushHttp.fieldNames(error.get("error")))
          .containsExactly("code", "message", "details");
      assertThat(error.get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
    }
  }

  private static void assertUnauthorized(PushHttp.Response response, String message) {
    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(response.header("Content-Type")).hasValue("application/json");
    JsonNode error = response.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(error.get("message").asText()).contains(message);
    assertThat(error.get("message").asText()).doesNotContain(PushFixture.API_KEY);
  }
}
