package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.jsonrpc.Params;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Devices prove who they are with a JWT at the upgrade; every token that should not pass is refused
 * with 401 before any connection state exists. One production server (HS256 only, issuer and
 * audience set) serves the class; alice may hold one connection, so a refused upgrade that kept her
 * place would show.
 */
class PushAuthTest {

  private static PushFixture push;

  @BeforeAll
  static void start() {
    push =
        PushFixture.start(PushFixture.production().registryLimits(new RegistryLimits(100, 1, 50)));
  }

  @AfterAll
  static void stop() {
    push.close();
  }

  static Stream<Arguments> attacks() {
    KeyPair rsa = PushTokens.keyPair("RSA");
    String good = PushTokens.valid("alice");
    long now = Instant.now().getEpochSecond();
    return Stream.of(
        attack("alg none", () -> PushTokens.unsecured(PushTokens.claims("alice"))),
        attack(
            "an algorithm that is not configured (HS384, right secret)",
            () -> PushTokens.hmac("HS384", PushTokens.SECRET, PushTokens.claims("alice"))),
        attack(
            "an RSA signature where HMAC is configured",
            () -> PushTokens.rs256(rsa.getPrivate(), PushTokens.claims("alice"))),
        attack(
            "a signature with another secret",
            () ->
                PushTokens.hmac(
                    "HS256",
                    "another-secret-of-at-least-32-bytes-long",
                    PushTokens.claims("alice"))),
        attack(
            "claims swapped under a good signature",
            () -> PushTokens.withClaims(good, PushTokens.claims("alice").put("roles", "admin"))),
        attack("expired", () -> signed(PushTokens.claims("alice").put("exp", now - 600))),
        attack("without exp", () -> signed(without(PushTokens.claims("alice"), "exp"))),
        attack("not yet valid", () -> signed(PushTokens.claims("alice").put("nbf", now + 600))),
        attack(
            "issued in the future", () -> signed(PushTokens.claims("alice").put("iat", now + 600))),
        attack(
            "a wrong issuer",
            () -> signed(PushTokens.claims("alice").put("iss", "https://evil.example"))),
        attack(
            "a wrong audience",
            () -> signed(PushTokens.claims("alice").put("aud", "another-service"))),
        attack("no sub", () -> signed(without(PushTokens.claims("alice"), "sub"))),
        attack("garbage", () -> "not-a-jwt"),
        attack("an empty token", () -> ""));
  }

  private static Arguments attack(String name, Supplier<String> token) {
    return Arguments.of(name, token);
  }

  private static String signed(JsonNode claims) {
    return PushTokens.hmac("HS256", PushTokens.SECRET, claims);
  }

  private static ObjectNode without(ObjectNode claims, String field) {
    claims.remove(field);
    return claims;
  }

  @ParameterizedTest(name = "a token with {0} is refused with 401 and leaves nothing behind")
  @MethodSource("attacks")
  void aBadTokenIsRefusedAtTheUpgradeAndLeavesNothingBehind(String attack, Supplier<String> token) {
    JsonNode before = push.stats().get("connections_total");
    String bad = token.get();

    assertThat(push.refusal("token=" + URLEncoder.encode(bad, StandardCharsets.UTF_8), Map.of()))
        .as("in the query")
        .isEqualTo(401);
    assertThat(push.refusal("", Map.of("Authorization", "Bearer " + bad)))
        .as("as a bearer token")
        .isEqualTo(401);

    assertThat(push.server.registry().connectionCount()).isZero();
    JsonNode stats = push.stats();
    assertThat(stats.get("connections").asInt()).isZero();
    assertThat(stats.get("users").asInt()).isZero();
    assertThat(stats.get("connections_total").get("refused").asLong())
        .isEqualTo(before.get("refused").asLong() + 2);
    assertThat(stats.get("connections_total").get("opened").asLong())
        .isEqualTo(before.get("opened").asLong());
    try (PushDevice alice = push.device("alice")) {
      assertThat(alice.isOpen()).as("alice's only place is still free").isTrue();
    }
    push.awaitConnections(0);
  }

  @Test
  void noTokenIsRefusedWith401InProductionMode() {
    assertThat(push.refusal("", Map.of())).isEqualTo(401);
    assertThat(push.refusal("", Map.of("Authorization", "Basic YWxpY2U6cGFzcw=="))).isEqualTo(401);
    assertThat(push.server.registry().connectionCount()).isZero();
  }

  @Test
  void aGoodTokenInTheQueryConnectsAsItsSubject() {
    try (PushDevice device = push.device("alice")) {
      push.notify("send", "{'target_user_id':'alice','event_type':'hello','payload':{}}");
      assertThat(device.awaitEvent("hello").get("event_type").asText()).isEqualTo("hello");
      assertThat(push.http.ok("/api/v1/users/alice/subscriptions").get("connections").asInt())
          .isEqualTo(1);
    }
    push.awaitConnections(0);
  }

  @Test
  void aGoodBearerTokenConnectsAsItsSubject() {
    try (PushDevice device = push.bearerDevice("bob/bearer", PushTokens.valid("bob"))) {
      push.notify("send", "{'target_user_id':'bob','event_type':'hello','payload':{}}");
      assertThat(device.awaitEvent("hello").get("event_type").asText()).isEqualTo("hello");
    }
    push.awaitConnections(0);
  }

  @Test
  void theClientSdkConnectsWithABearerHeader() {
    try (SwitchboardClient client =
        SwitchboardClient.builder(push.ws(""))
            .header("Authorization", "Bearer " + PushTokens.valid("carol"))
            .connect()) {
      assertThat(
              client
                  .call("ping", Params.none(), String.class)
                  .orTimeout(5, TimeUnit.SECONDS)
                  .join())
          .isEqualTo("pong");
      assertThat(push.http.get("/api/v1/users/carol/subscriptions").status()).isEqualTo(200);
    }
    push.awaitConnections(0);
  }

  @Test
  void hs384AndHs512TokensAreAcceptedWhenTheSecretIsLongEnoughForThem() {
    String secret = "a-64-byte-secret-for-hs512-".repeat(3).substring(0, 64);
    try (PushFixture keyed =
        PushFixture.start(
            PushFixture.production().jwt(JwtConfig.builder().secret(secret).build()))) {
      for (String alg : new String[] {"HS256", "HS384", "HS512"}) {
        ObjectNode claims = PushTokens.claims("user-" + alg);
        keyed.bearerDevice(alg, PushTokens.hmac(alg, secret, claims));
        keyed.notify(
            "send", "{'target_user_id':'user-" + alg + "','event_type':'hello','payload':{}}");
      }
      assertThat(keyed.server.registry().connectionCount()).isEqualTo(3);
      assertThat(
              keyed.refusal(
                  "token=" + PushTokens.hmac("HS512", secret + "x", PushTokens.claims("x")),
                  Map.of()))
          .isEqualTo(401);
    }
  }

  @Test
  void rs256TokensVerifyWithAnRsaPublicKeyPem() {
    KeyPair key = PushTokens.keyPair("RSA");
    assertPublicKeyWorks(
        key,
        JwtConfig.builder().publicKeyPem(PushTokens.pem(key.getPublic())).build(),
        claims -> PushTokens.rs256(key.getPrivate(), claims),
        claims -> PushTokens.rs256(PushTokens.keyPair("RSA").getPrivate(), claims));
  }

  @Test
  void es256TokensVerifyWithAnEcPublicKeyPem() {
    KeyPair key = PushTokens.keyPair("EC");
    assertPublicKeyWorks(
        key,
        JwtConfig.builder().publicKeyPem(PushTokens.pem(key.getPublic())).build(),
        claims -> PushTokens.es256(key.getPrivate(), claims),
        claims -> PushTokens.es256(PushTokens.keyPair("EC").getPrivate(), claims));
  }

  /**
   * A server configured with {@code config} lets in a token {@code sign} made, and refuses one of
   * another key and the classic confusion: an HMAC token keyed with the public key's PEM text.
   */
  private static void assertPublicKeyWorks(
      KeyPair key,
      JwtConfig config,
      Function<JsonNode, String> sign,
      Function<JsonNode, String> otherKey) {
    try (PushFixture keyed = PushFixture.start(PushFixture.production().jwt(config))) {
      ObjectNode claims = PushTokens.claims("alice");
      claims.remove("iss");
      claims.remove("aud");
      assertThat(keyed.refusal("token=" + otherKey.apply(claims), Map.of())).isEqualTo(401);
      assertThat(
              keyed.refusal(
                  "token=" + PushTokens.hmac("HS256", PushTokens.pem(key.getPublic()), claims),
                  Map.of()))
          .as("HMAC keyed with the public key")
          .isEqualTo(401);
      assertThat(keyed.server.registry().connectionCount()).isZero();

      PushDevice device = keyed.bearerDevice("alice/signed", sign.apply(claims));
      keyed.notify("send", "{'target_user_id':'alice','event_type':'hello','payload':{}}");
      assertThat(device.awaitEvent("hello")).isNotNull();
    }
  }
}
