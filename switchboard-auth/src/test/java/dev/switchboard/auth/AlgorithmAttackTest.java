package dev.switchboard.auth;

import static dev.switchboard.auth.Refusals.refusalOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.EncryptedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Attacks on the {@code alg} header and on how keys are chosen. */
class AlgorithmAttackTest {

  private final TokenVerifier hs256Only =
      TokenVerifier.create(
          JwtConfig.builder()
              .secret(TestKeys.SECRET)
              .algorithms(Set.of("HS256"))
              .clock(Tokens.CLOCK)
              .build());
  private final TokenVerifier rs256 =
      TokenVerifier.create(
          JwtConfig.builder().publicKeyPem(TestKeys.pem(TestKeys.RSA)).clock(Tokens.CLOCK).build());

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void unsecuredTokenIsRefusedHoweverAlgNoneIsSpelled(String alg) {
    String unsecured = Tokens.unsecured(alg, Tokens.claims().build());

    assertThat(refusalOf(hs256Only, unsecured)).isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
    assertThat(refusalOf(rs256, unsecured)).isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void unsecuredTokenCarryingAValidSignatureIsStillRefused() throws JOSEException {
    String good =
        Tokens.sign(JWSAlgorithm.HS256, new MACSigner(TestKeys.SECRET), Tokens.claims().build());
    String unsecured = Tokens.unsecured("none", Tokens.claims().build());

    String spliced = unsecured + good.substring(good.lastIndexOf('.') + 1);

    assertThat(refusalOf(hs256Only, spliced))
        .isIn(AuthFailure.ALGORITHM_NOT_ALLOWED, AuthFailure.MALFORMED);
  }

  @Test
  void algorithmOutsideTheConfiguredSetIsRefusedEvenWithTheRightKey() throws JOSEException {
    String hs384 =
        Tokens.sign(JWSAlgorithm.HS384, new MACSigner(TestKeys.SECRET), Tokens.claims().build());

    assertThat(refusalOf(hs256Only, hs384)).isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void hmacTokenKeyedWithThePublicKeyPemIsRefusedByAnRsaConfig() throws JOSEException {
    byte[] publicKeyPem = TestKeys.pem(TestKeys.RSA).getBytes(StandardCharsets.UTF_8);
    String confused =
        Tokens.sign(JWSAlgorithm.HS256, new MACSigner(publicKeyPem), Tokens.claims().build());

    assertThat(refusalOf(rs256, confused)).isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void hmacTokenKeyedWithThePublicKeyDerIsRefusedByAnRsaConfig() throws JOSEException {
    byte[] publicKeyDer = TestKeys.RSA.toPublicKey().getEncoded();
    String confused =
        Tokens.sign(JWSAlgorithm.HS256, new MACSigner(publicKeyDer), Tokens.claims().build());

    assertThat(refusalOf(rs256, confused)).isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void keyConfusionFailsEvenWhenHmacIsAllowedBesideRsa() throws JOSEException {
    TokenVerifier both =
        TokenVerifier.create(
            JwtConfig.builder()
                .secret(TestKeys.SECRET)
                .publicKeyPem(TestKeys.pem(TestKeys.RSA))
                .clock(Tokens.CLOCK)
                .build());
    byte[] publicKeyPem = TestKeys.pem(TestKeys.RSA).getBytes(StandardCharsets.UTF_8);
    String confused =
        Tokens.sign(JWSAlgorithm.HS256, new MACSigner(publicKeyPem), Tokens.claims().build());

    assertThat(refusalOf(both, confused)).isEqualTo(AuthFailure.BAD_SIGNATURE);
    assertThat(
            both.verify(
                    Tokens.sign(
                        JWSAlgorithm.RS256,
                        new RSASSASigner(TestKeys.RSA),
                        Tokens.claims().build()))
                .userId())
        .isEqualTo("user-1");
  }

  @Test
  void rsaTokenIsRefusedByAnHmacConfig() throws JOSEException {
    String rsaSigned =
        Tokens.sign(JWSAlgorithm.RS256, new RSASSASigner(TestKeys.RSA), Tokens.claims().build());

    assertThat(refusalOf(hs256Only, rsaSigned)).isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void keyEmbeddedInTheTokenHeaderIsNeverTrusted() throws JOSEException {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(TestKeys.OTHER_RSA.toPublicJWK()).build();
    String selfSigned =
        Tokens.sign(header, new RSASSASigner(TestKeys.OTHER_RSA), Tokens.claims().build());

    assertThat(refusalOf(rs256, selfSigned)).isEqualTo(AuthFailure.BAD_SIGNATURE);
  }

  @Test
  void encryptedTokenIsRefused() throws JOSEException {
    EncryptedJWT jwe =
        new EncryptedJWT(
            new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), Tokens.claims().build());
    jwe.encrypt(
        new DirectEncrypter(TestKeys.SECRET.substring(0, 32).getBytes(StandardCharsets.UTF_8)));

    assertThat(refusalOf(hs256Only, jwe.serialize())).isEqualTo(AuthFailure.MALFORMED);
  }
}
