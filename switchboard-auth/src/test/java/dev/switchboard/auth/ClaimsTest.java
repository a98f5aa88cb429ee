package dev.switchboard.auth;

import static dev.switchboard.auth.Refusals.refusalOf;
import static dev.switchboard.auth.Tokens.NOW;
import static dev.switchboard.auth.Tokens.date;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claims of a validly signed token, checked at a fixed time with the default 30 s leeway. */
class ClaimsTest {

  private final JwtConfig.Builder config =
      JwtConfig.builder().secret(TestKeys.SECRET).clock(Tokens.CLOCK);

  private static String token(JWTClaimsSet.Builder claims) {
    try {
      return Tokens.sign(JWSAlgorithm.HS256, new MACSigner(TestKeys.SECRET), claims.build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWTClaimsSet.Builder expiringIn(Duration fromNow) {
    return Tokens.claims().expirationTime(date(NOW.plus(fromNow)));
  }

  private TokenVerifier verifier() {
    return TokenVerifier.create(config.build());
  }

  @Test
  void expiredTokenIsRefused() {
    assertThat(refusalOf(verifier(), token(expiringIn(Duration.ofSeconds(-31)))))
        .isEqualTo(AuthFailure.EXPIRED);
  }

  @Test
  void tokenExpiredWithinTheLeewayIsAccepted() {
    assertThat(verifier().verify(token(expiringIn(Duration.ofSeconds(-29)))).userId())
        .isEqualTo("user-1");
  }

  @Test
  void tokenExpiringExactlyAtTheEndOfTheLeewayIsRefused() {
    assertThat(refusalOf(verifier(), token(expiringIn(Duration.ofSeconds(-30)))))
        .isEqualTo(AuthFailure.EXPIRED);
  }

  @Test
  void withoutLeewayATokenExpiringNowIsRefused() {
    config.leeway(Duration.ZERO);

    assertThat(refusalOf(verifier(), token(expiringIn(Duration.ZERO))))
        .isEqualTo(AuthFailure.EXPIRED);
    assertThat(verifier().verify(token(expiringIn(Duration.ofSeconds(1)))).userId())
        .isEqualTo("user-1");
  }

  @Test
  void expiryRefusalSaysWhenTheTokenExpired() {
    AuthException refusal =
        catchThrowableOfType(
            AuthException.class,
            () -> verifier().verify(token(expiringIn(Duration.ofMinutes(-1)))));

    assertThat(refusal.getMessage())
        .contains("2029-12-31T23:59:00Z", "2030-01-01T00:00:00Z", "leeway 30 s");
  }

  @Test
  void tokenWithoutExpiryIsRefusedByDefault() {
    assertThat(refusalOf(verifier(), token(Tokens.claims().expirationTime(null))))
        .isEqualTo(AuthFailure.EXPIRED);
  }

  @Test
  void theRefusalOfATokenWithoutExpiryNamesNoSettingTheServerLacks() {
    AuthException refused =
        catchThrowableOfType(
            AuthException.class,
            () -> verifier().verify(token(Tokens.claims().expirationTime(null))));
    assertThat(refused.getMessage())
        .isEqualTo("token has no exp claim; tokens must expire")
        .doesNotContain("require_expiry");
  }

  @Test
  void tokenWithoutExpiryIsAcceptedWhenExpiryIsNotRequired() {
    config.requireExpiry(false);

    assertThat(verifier().verify(token(Tokens.claims().expirationTime(null))).expiresAt())
        .isEmpty();
  }

  @Test
  void notYetValidTokenIsRefused() {
    String early = token(Tokens.claims().notBeforeTime(date(NOW.plusSeconds(31))));

    assertThat(refusalOf(verifier(), early)).isEqualTo(AuthFailure.NOT_YET_VALID);
  }

  @Test
  void notBeforeWithinTheLeewayIsAccepted() {
    assertThat(
            verifier()
                .verify(token(Tokens.claims().notBeforeTime(date(NOW.plusSeconds(29)))))
                .userId())
        .isEqualTo("user-1");
  }

  @Test
  void tokenIssuedInTheFutureIsRefused() {
    String fromTheFuture = token(Tokens.claims().issueTime(date(NOW.plusSeconds(31))));

    assertThat(refusalOf(verifier(), fromTheFuture)).isEqualTo(AuthFailure.ISSUED_IN_FUTURE);
  }

  @Test
  void issuedAtWithinTheLeewayIsAccepted() {
    assertThat(
            verifier().verify(token(Tokens.claims().issueTime(date(NOW.plusSeconds(29))))).userId())
        .isEqualTo("user-1");
  }

  @Test
  void wrongIssuerIsRefused() {
    config.issuer("https://id.example.com");

    assertThat(refusalOf(verifier(), token(Tokens.claims().issuer("https://evil.example.com"))))
        .isEqualTo(AuthFailure.WRONG_ISSUER);
    assertThat(refusalOf(verifier(), token(Tokens.claims()))).isEqualTo(AuthFailure.WRONG_ISSUER);
    assertThat(verifier().verify(token(Tokens.claims().issuer("https://id.example.com"))).userId())
        .isEqualTo("user-1");
  }

  @Test
  void issuerIsNotCheckedWhenNoneIsConfigured() {
    assertThat(verifier().verify(token(Tokens.claims().issuer("anyone"))).userId())
        .isEqualTo("user-1");
  }

  @Test
  void wrongAudienceIsRefused() {
    config.audience("switchboard");

    assertThat(refusalOf(verifier(), token(Tokens.claims().audience("billing"))))
        .isEqualTo(AuthFailure.WRONG_AUDIENCE);
    assertThat(refusalOf(verifier(), token(Tokens.claims()))).isEqualTo(AuthFailure.WRONG_AUDIENCE);
  }

  @Test
  void audienceListContainingOursIsAccepted() {
    config.audience("switchboard");

    assertThat(
            verifier()
                .verify(token(Tokens.claims().audience(List.of("billing", "switchboard"))))
                .userId())
        .isEqualTo("user-1");
    assertThat(verifier().verify(token(Tokens.claims().audience("switchboard"))).userId())
        .isEqualTo("user-1");
  }

  @Test
  void missingSubjectIsRefused() {
    assertThat(refusalOf(verifier(), token(Tokens.claims().subject(null))))
        .isEqualTo(AuthFailure.MISSING_SUBJECT);
    assertThat(refusalOf(verifier(), token(Tokens.claims().subject("  "))))
        .isEqualTo(AuthFailure.MISSING_SUBJECT);
    assertThat(refusalOf(verifier(), token(Tokens.claims().claim("sub", 42))))
        .isEqualTo(AuthFailure.MALFORMED);
  }

  @Test
  void singleRoleStringBecomesAOneElementList() {
    assertThat(verifier().verify(token(Tokens.claims().claim("roles", "admin"))).roles())
        .containsExactly("admin");
  }

  @Test
  void absentRolesAndTenantGiveAnEmptyListAndNoTenant() {
    Identity identity =
        verifier().verify(token(Tokens.claims().claim("roles", null).claim("tenant_id", null)));

    assertThat(identity.roles()).isEmpty();
    assertThat(identity.tenantId()).isEmpty();
  }

  @Test
  void rolesOfTheWrongTypeAreMalformed() {
    assertThat(refusalOf(verifier(), token(Tokens.claims().claim("roles", 7))))
        .isEqualTo(AuthFailure.MALFORMED);
    assertThat(refusalOf(verifier(), token(Tokens.claims().claim("roles", List.of("admin", 1)))))
        .isEqualTo(AuthFailure.MALFORMED);
  }

  @Test
  void tenantOfTheWrongTypeIsMalformed() {
    assertThat(refusalOf(verifier(), token(Tokens.claims().claim("tenant_id", 42))))
        .isEqualTo(AuthFailure.MALFORMED);
  }
}
