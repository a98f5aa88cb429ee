package dev.switchboard.auth;

import static dev.switchboard.auth.Refusals.refusalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is not a token at all. */
class MalformedTokenTest {

  private final TokenVerifier verifier =
      TokenVerifier.create(JwtConfig.builder().secret(TestKeys.SECRET).clock(Tokens.CLOCK).build());

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void emptyOrBlankTokenIsMissing(String token) {
    assertThat(refusalOf(verifier, token)).isEqualTo(AuthFailure.MISSING_TOKEN);
  }

  @Test
  void nullTokenIsTheCallersMistake() {
    assertThatNullPointerException().isThrownBy(() -> verifier.verify(null)).withMessage("token");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "...",
        "Bearer abc.def.ghi",
        "{\"alg\":\"HS256\"}",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0",
        "eyJhbGciOiJIUzI1NiJ9..",
        "\u0000\u0001.\u0002.\u0003",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.!!!!",
        "eyJub3RhbGciOjF9.eyJzdWIiOiJ4In0.c2ln"
      })
  void garbageIsRefusedAsMalformedOrBadlySigned(String garbage) {
    assertThat(refusalOf(verifier, garbage)).isIn(AuthFailure.MALFORMED, AuthFailure.BAD_SIGNATURE);
  }

  @Test
  void tokenLongerThanTheLimitIsRefusedBeforeParsing() {
    String huge = "e".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1);

    assertThat(refusalOf(verifier, huge)).isEqualTo(AuthFailure.MALFORMED);
  }

  @Test
  void signedPayloadThatIsNotAClaimsSetIsMalformed() throws JOSEException {
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload("hello"));
    jws.sign(new MACSigner(TestKeys.SECRET));

    assertThat(refusalOf(verifier, jws.serialize())).isEqualTo(AuthFailure.MALFORMED);
  }

  @Test
  void expiryThatIsNotANumberIsMalformed() throws JOSEException {
    JWSObject jws =
        new JWSObject(
            new JWSHeader(JWSAlgorithm.HS256),
            new Payload("{\"sub\":\"user-1\",\"exp\":\"tomorrow\"}"));
    jws.sign(new MACSigner(TestKeys.SECRET));

    assertThat(refusalOf(verifier, jws.serialize())).isEqualTo(AuthFailure.MALFORMED);
  }

  @Test
  void refusalMessageQuotesTokenValuesSafely() {
    String hostile =
        Tokens.unsecured(
                "HS256\\n2030-01-01 INFO forged log line" + "x".repeat(200),
                Tokens.claims().build())
            + "c2lnbmF0dXJl";

    AuthException refusal =
        catchThrowableOfType(AuthException.class, () -> verifier.verify(hostile));

    assertThat(refusal.reason()).isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
    assertThat(refusal.getMessage()).doesNotContain("\n").hasSizeLessThan(200);
  }
}
