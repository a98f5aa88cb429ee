package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.ApiKey;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device's connection lasts as long as its token: it is closed with 4001 "token expired" at
 * {@code exp} plus {@code jwt.leeway_seconds} (0 here, so that the tests take a few seconds each),
 * unless it sent a fresh token of the same user with {@code refresh} first. Real sockets; no test
 * sleeps: waiting for a device to be closed, or for a control device with the same or an earlier
 * {@code exp} to be closed, is how time passes.
 */
class PushTokenExpiryTest {

  /** How long after {@code exp} the close may come. */
  private static final Duration SOON = Duration.ofSeconds(3);

  private PushFixture push;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production().jwt(PushTokens.hs256ConfigWithoutLeeway()));
  }

  @AfterEach
  void stop() {
    push.close();
  }

  /** A token of {@code user} expiring at {@code exp} (whole seconds, as JWTs have them). */
  private static String token(String user, Instant exp) {
    return PushTokens.hmac(
        "HS256", PushTokens.SECRET, PushTokens.claims(user).put("exp", exp.getEpochSecond()));
  }

  /** One to two seconds from now, in whole seconds. */
  private static Instant shortExp() {
    return Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2);
  }

  private static JsonNode refresh(PushDevice device, String token) {
    return device.call("refresh", Json.nodes().objectNode().put("token", token));
  }

  /**
   * Waits for {@code device} to be closed, at most until {@link #SOON} after {@code exp}; checks it
   * was for that.
   */
  private static void assertClosedForExpiry(PushDevice device, Instant exp) {
    PushDevice.Closed closed = device.awaitClosed(Duration.between(Instant.now(), exp).plus(SOON));
    assertThat(Instant.now()).as("closed no earlier than exp").isAfterOrEqualTo(exp);
    assertThat(closed.code()).isEqualTo(TokenExpiry.CLOSE_CODE).isEqualTo(4001);
    assertThat(closed.reason()).isEqualTo("token expired");
  }

  @Test
  void aDeviceIsClosedWith4001AtExpAndReceivesNoMorePushes() {
    Instant exp = shortExp();
    PushDevice alice = push.bearerDevice("alice/short", token("alice", exp));
    push.notify("send", "{'target_user_id':'alice','event_type':'before','payload':{}}");
    alice.awaitEvent("before");

    assertClosedForExpiry(alice, exp);

    push.awaitConnections(0);
    JsonNode answer =
        push.notify("send", "{'target_user_id':'alice','event_type':'after','payload':{}}");
    assertThat(answer.get("delivered_to").asInt()).isZero();
    assertThat(alice.notifications())
        .extracting(n -> n.get("event_type").asText())
        .containsExactly("before");
  }

  @Test
  void aDeviceThatRefreshesInTimeStaysConnectedPastTheFirstExpAndStillReceivesPushes() {
    Instant exp = shortExp();
    PushDevice alice = push.bearerDevice("alice/refreshing", token("alice", exp));
    // Expires a second after alice's first token: once it is closed, that token's time is well
    // past.
    Instant controlExp = exp.plusSeconds(1);
    PushDevice control = push.bearerDevice("alice/control", token("alice", controlExp));

    Instant later = exp.plusSeconds(300);
    JsonNode answer = refresh(alice, token("alice", later));
    assertThat(answer.get("result").get("expires_at").asText()).isEqualTo(later.toString());

    assertClosedForExpiry(control, controlExp);
    assertThat(alice.isOpen()).isTrue();
    push.notify("send", "{'target_user_id':'alice','event_type':'after-first-exp','payload':{}}");
    assertThat(alice.awaitEvent("after-first-exp")).isNotNull();
    assertThat(alice.isOpen()).isTrue();
  }

  @Test
  void aRefreshWithAnotherUsersTokenIsRefusedAndTheDeviceIsStillClosedAtTheFirstExp() {
    Instant exp = shortExp();
    PushDevice alice = push.bearerDevice("alice/other-user", token("alice", exp));

    JsonNode error = refresh(alice, token("bob", exp.plusSeconds(300))).get("error");

    assertThat(error.get("code").asInt()).isEqualTo(DeviceMethods.WRONG_IDENTITY).isEqualTo(-32010);
    assertThat(error.get("message").asText())
        .isEqualTo(
            "the token is for user 'bob', but this connection "
                + "belongs to user 'alice'; the connection still closes at "
                + exp);
    assertClosedForExpiry(alice, exp);
  }

  @Test
  void aRefreshWithATokenThatDoesNotVerifyIsRefusedAndTheDeviceIsStillClosedAtTheFirstExp() {
    Instant exp = shortExp();
    PushDevice alice = push.bearerDevice("alice/bad-token", token("alice", exp));
    String otherSecret =
        PushTokens.hmac(
            "HS256",
            "another-secret-of-at-least-32-bytes-long",
            PushTokens.claims("alice").put("exp", exp.getEpochSecond() + 300));

    for (String bad : new String[] {otherSecret, "not-a-jwt", ""}) {
      JsonNode error = refresh(alice, bad).get("error");
      assertThat(error.get("code").asInt())
          .as(bad)
          .isEqualTo(DeviceMethods.TOKEN_REFUSED)
          .isEqualTo(-32009);
      assertThat(error.get("message").asText())
          .isEqualTo(
              "invalid token: it does not verify (the server log "
                  + "says why); the connection still closes at "
                  + exp);
    }
    assertClosedForExpiry(alice, exp);
  }

  @Test
  void refreshTakesTheTokenByPositionTooAndRequiresIt() {
    PushDevice alice = push.device("alice");
    Instant later = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 600);

    JsonNode answer = alice.call("refresh", Json.nodes().arrayNode().add(token("alice", later)));
    assertThat(answer.get("result").get("expires_at").asText()).isEqualTo(later.toString());

    JsonNode missing = alice.call("refresh", Json.nodes().objectNode()).get("error");
    assertThat(missing.get("code").asInt()).isEqualTo(ErrorObject.INVALID_PARAMS);
    assertThat(missing.get("message").asText()).isEqualTo("missing param 'token'");
    assertThat(alice.isOpen()).isTrue();
  }

  @Test
  void inDevelopmentModeWithoutAJwtKeyRefreshSaysSoAndTheDeviceNeverExpires() {
    try (PushFixture development = PushFixture.start(PushFixture.development())) {
      PushDevice device = development.anonymousDevice();

      JsonNode error =
          device
              .call("refresh", Json.nodes().objectNode().put("token", PushTokens.valid("alice")))
              .get("error");

      assertThat(error.get("code").asInt()).isEqualTo(DeviceMethods.TOKEN_REFUSED);
      assertThat(error.get("message").asText())
          .isEqualTo(
              "no JWT key is configured (development mode): tokens "
                  + "are not checked, so there is nothing to refresh");
      assertThat(development.server.registry().connectionCount()).isOne();
      assertThat(device.isOpen()).isTrue();
    }
  }

  @Test
  void aTokenWithoutExpWhereTheConfigurationAllowsItNeverExpiresAndEndsTheExpiryOnRefresh() {
    try (PushFixture lenient =
        PushFixture.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .mode(Mode.PRODUCTION)
                .apiKey(ApiKey.of(PushFixture.API_KEY))
                .jwt(
                    JwtConfig.builder()
                        .secret(PushTokens.SECRET)
                        .algorithms(Set.of("HS256"))
                        .leeway(Duration.ZERO)
                        .requireExpiry(false)
                        .build()))) {
      Instant exp = shortExp();
      PushDevice alice = lenient.bearerDevice("alice/no-exp-later", token("alice", exp));
      Instant controlExp = exp.plusSeconds(1);
      PushDevice control = lenient.bearerDevice("alice/control", token("alice", controlExp));
      ObjectNode claims = PushTokens.claims("alice");
      claims.remove("exp");

      JsonNode answer = refresh(alice, PushTokens.hmac("HS256", PushTokens.SECRET, claims));

      assertThat(answer.get("result").get("expires_at").isNull()).as(answer.toString()).isTrue();
      assertClosedForExpiry(control, controlExp);
      lenient.notify("send", "{'target_user_id':'alice','event_type':'still-here','payload':{}}");
      assertThat(alice.awaitEvent("still-here")).isNotNull();
      assertThat(alice.isOpen()).isTrue();
    }
  }
}
