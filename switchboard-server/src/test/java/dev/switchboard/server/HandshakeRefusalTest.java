package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.gateway.RegistryLimits;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a WebSocket upgrade is refused gets an HTTP status, read off the wire within {@link
 * PushFixture#WAIT} (a refusal that left the connection hanging would fail there): the wrong path,
 * every token the verifier or the registry refuses, and the limits. The handshake timeout and
 * shutdown have their own tests ({@link ConnectionLimitsTest}, {@link PushShutdownTest}).
 */
class HandshakeRefusalTest {

  private PushFixture push;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production().registryLimits(new RegistryLimits(3, 1, 50)));
  }

  @AfterEach
  void stop() {
    push.close();
  }

  private int upgradeWith(UnaryOperator<ObjectNode> claims) {
    return push.refusal(
        "token="
            + PushTokens.hmac("HS256", PushTokens.SECRET, claims.apply(PushTokens.claims("u"))),
        Map.of());
  }

  @Test
  void anotherPathIs404() {
    assertThat(push.http.upgradeStatus("/elsewhere?token=" + PushTokens.valid("u"), Map.of()))
        .isEqualTo(404);
  }

  @Test
  void noTokenIs401() {
    assertThat(push.refusal("", Map.of())).isEqualTo(401);
  }

  @Test
  void aTokenThatDoesNotVerifyIs401() {
    assertThat(
            push.refusal(
                "token="
                    + PushTokens.hmac(
                        "HS256", "another-secret-of-at-least-32-bytes!!", PushTokens.claims("u")),
                Map.of()))
        .isEqualTo(401);
    assertThat(push.refusal("token=not.a.jwt", Map.of())).isEqualTo(401);
    assertThat(push.refusal("", Map.of("Authorization", "Bearer " + "x".repeat(20_000))))
        .isEqualTo(401);
  }

  @Test
  void aQueryThatIsNotUrlEncodingIs400() {
    assertThat(push.refusal("token=%zz", Map.of())).isEqualTo(400);
  }

  @Test
  void aSubOverTheUserIdLimitIs401() {
    assertThat(upgradeWith(c -> c.put("sub", "u".repeat(300)))).isEqualTo(401);
  }

  @Test
  void claimsOfTheWrongTypeAre401() {
    assertThat(upgradeWith(c -> c.put("sub", 42))).isEqualTo(401);
    assertThat(
            upgradeWith(
                c -> {
                  c.putArray("sub").add("u");
                  return c;
                }))
        .isEqualTo(401);
    assertThat(upgradeWith(c -> c.put("roles", 7))).isEqualTo(401);
    assertThat(
            upgradeWith(
                c -> {
                  c.putObject("tenant_id");
                  return c;
                }))
        .isEqualTo(401);
    assertThat(upgradeWith(c -> c.put("exp", "tomorrow"))).isEqualTo(401);
    assertThat(upgradeWith(c -> c.put("sub", " "))).isEqualTo(401);
  }

  @Test
  void anExpiredTokenIs401() {
    assertThat(upgradeWith(c -> c.put("exp", 1_000_000))).isEqualTo(401);
  }

  @Test
  void tooManyDevicesOfOneUserIs429AndAFullServerIs503() {
    push.device("alice");
    assertThat(push.refusal("token=" + PushTokens.valid("alice"), Map.of())).isEqualTo(429);
    push.device("bob");
    push.device("carol");
    assertThat(push.refusal("token=" + PushTokens.valid("dave"), Map.of())).isEqualTo(503);
  }

  @Test
  void tokensUpToTheDocumentedLengthReachTheVerifierInTheQueryAndInTheHeader() {
    // A valid token padded to the limit with a claim of its own is accepted both ways...
    String inQuery = longToken("q", TokenVerifier.MAX_TOKEN_CHARS);
    assertThat(inQuery.length())
        .isBetween(TokenVerifier.MAX_TOKEN_CHARS - 64, TokenVerifier.MAX_TOKEN_CHARS);
    assertThat(push.http.upgradeStatus("/ws?token=" + inQuery, Map.of())).isEqualTo(101);
    String inHeader = longToken("h", TokenVerifier.MAX_TOKEN_CHARS);
    assertThat(push.http.upgradeStatus("/ws", Map.of("Authorization", "Bearer " + inHeader)))
        .isEqualTo(101);
    // ...and one beyond it is refused by the verifier (401), not by the HTTP codec (414 or 431).
    String over = longToken("o", TokenVerifier.MAX_TOKEN_CHARS + 200);
    assertThat(push.refusal("token=" + over, Map.of())).isEqualTo(401);
    assertThat(push.refusal("", Map.of("Authorization", "Bearer " + over))).isEqualTo(401);
  }

  /**
   * A valid token of {@code user}, at most {@code length} characters and within 64 of it (a padding
   * claim).
   */
  private static String longToken(String user, int length) {
    int unpadded =
        PushTokens.hmac("HS256", PushTokens.SECRET, PushTokens.claims(user).put("padding", ""))
            .length();
    int padding = (length - unpadded - 8) * 3 / 4;
    return PushTokens.hmac(
        "HS256", PushTokens.SECRET, PushTokens.claims(user).put("padding", "p".repeat(padding)));
  }
}
