package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.nimbusds.jose.JOSEException;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Configuration errors are caught at startup, with messages naming the setting, the value and the
 * limit.
 */
class JwtConfigTest {

  private static final URI JWKS = URI.create("https://id.example.com/.well-known/jwks.json");
  private static final String RSA_PEM = TestKeys.pem(TestKeys.RSA);
  private static final String EC_PEM = TestKeys.pem(TestKeys.EC);

  private static String spki(String body) {
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  void shortSecretIsRefusedWithItsLengthAndTheMinimum() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().secret("too-short-secret"))
        .withMessage("jwt.secret is 16 bytes; at least 32 bytes (256 bits) are required")
        .withMessageNotContaining("too-short-secret");
  }

  @Test
  void configWithoutAnyKeySourceIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().build())
        .withMessage("jwt: no key configured; set jwt.secret, jwt.public_key or jwt.jwks_url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "NONE", "None"})
  void noneAmongTheAlgorithmsIsRefused(String none) {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> JwtConfig.builder().secret(TestKeys.SECRET).algorithms(Set.of("HS256", none)))
        .withMessage("jwt.algorithms must not contain 'none': unsigned tokens are never accepted");
  }

  @Test
  void unknownAlgorithmIsRefusedWithTheSupportedOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().algorithms(Set.of("HS1024")))
        .withMessageStartingWith(
            "jwt.algorithms: unknown algorithm 'HS1024'; supported: HS256,HS384,HS512,RS256");
  }

  @Test
  void emptyAlgorithmsAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().secret(TestKeys.SECRET).algorithms(Set.of()).build())
        .withMessage("jwt.algorithms must not be empty");
  }

  @Test
  void algorithmThatNoConfiguredKeyCanVerifyIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> JwtConfig.builder().secret(TestKeys.SECRET).algorithms(Set.of("RS256")).build())
        .withMessage("jwt.algorithms: RS256 needs jwt.jwks_url or a jwt.public_key of type RSA");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> JwtConfig.builder().publicKeyPem(RSA_PEM).algorithms(Set.of("HS256")).build())
        .withMessage("jwt.algorithms: HS256 needs jwt.secret");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> JwtConfig.builder().publicKeyPem(EC_PEM).algorithms(Set.of("ES384")).build())
        .withMessage(
            "jwt.algorithms: ES384 needs jwt.jwks_url or a jwt.public_key of type EC P-384");
  }

  @Test
  void hmacAlgorithmNeedsASecretAsLongAsItsHash() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> JwtConfig.builder().secret("x".repeat(40)).algorithms(Set.of("HS512")).build())
        .withMessage("jwt.algorithms: HS512 needs a jwt.secret of at least 64 bytes, got 40");
  }

  @Test
  void defaultAlgorithmsFollowTheConfiguredKeys() {
    assertThat(JwtConfig.builder().secret(TestKeys.SECRET).build().algorithms())
        .containsOnly("HS256", "HS384", "HS512");
    assertThat(JwtConfig.builder().secret("x".repeat(32)).build().algorithms())
        .containsOnly("HS256");
    assertThat(JwtConfig.builder().secret("x".repeat(48)).build().algorithms())
        .as("as docs/configuration.md says: HS384 from 48 bytes, HS512 from 64")
        .containsOnly("HS256", "HS384");
    assertThat(JwtConfig.builder().publicKeyPem(RSA_PEM).build().algorithms())
        .containsOnly("RS256");
    assertThat(JwtConfig.builder().publicKeyPem(EC_PEM).build().algorithms()).containsOnly("ES256");
    assertThat(JwtConfig.builder().jwksUrl(JWKS).build().algorithms())
        .containsOnly("RS256", "ES256");
    assertThat(
            JwtConfig.builder().secret("x".repeat(32)).publicKeyPem(RSA_PEM).build().algorithms())
        .containsOnly("HS256", "RS256");
  }

  @Test
  void defaultsAreDocumentedValues() {
    JwtConfig config = JwtConfig.builder().jwksUrl(JWKS).build();

    assertThat(config.leeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.requireExpiry()).isTrue();
    assertThat(config.jwksRefresh()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.jwksTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.issuer()).isEmpty();
    assertThat(config.audience()).isEmpty();
    assertThat(config.hasSecret()).isFalse();
  }

  @Test
  void minimumRefreshIntervalIsCappedAtTheRefreshPeriod() {
    JwtConfig config =
        JwtConfig.builder().jwksUrl(JWKS).jwksRefresh(Duration.ofSeconds(10)).build();

    assertThat(config.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void durationsOutOfRangeAreRefusedInSeconds() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().leeway(Duration.ofSeconds(-1)))
        .withMessage("jwt.leeway_seconds must be between 0 and 600, got -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().jwksRefresh(Duration.ofMillis(500)))
        .withMessage("jwt.jwks_refresh_seconds must be between 1 and 86400, got 0.5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().jwksTimeout(Duration.ZERO))
        .withMessage("jwt.jwks_timeout_seconds must be between 0.001 and 60, got 0");
  }

  @Test
  void jwksUrlMustBeHttp() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().jwksUrl(URI.create("file:///etc/jwks")))
        .withMessage("jwt.jwks_url must be an http or https URL, got file:///etc/jwks");
  }

  @Test
  void blankIssuerAndAudienceAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().issuer(" "))
        .withMessage("jwt.issuer must not be blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().audience(""))
        .withMessage("jwt.audience must not be blank");
  }

  @Test
  void toStringNeverShowsTheSecret() {
    String text =
        JwtConfig.builder()
            .secret(TestKeys.SECRET)
            .issuer("https://id.example.com")
            .build()
            .toString();

    assertThat(text)
        .doesNotContain(TestKeys.SECRET)
        .contains("secret=<redacted>", "https://id.example.com");
  }

  @Test
  void textThatIsNotAPemIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().publicKeyPem("not a key"))
        .withMessage(
            "jwt.public_key must be a PEM starting with '-----BEGIN PUBLIC KEY-----'"
                + " and ending with '-----END PUBLIC KEY-----'");
  }

  @Test
  void pemWithBrokenContentIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().publicKeyPem(spki("%%%")))
        .withMessage("jwt.public_key is not valid base64 between the PEM markers");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().publicKeyPem(spki("AAAA")))
        .withMessageStartingWith("jwt.public_key is neither an RSA nor an EC public key");
  }

  @Test
  void privateKeyPemIsRefusedWithoutBeingEchoed() throws JOSEException {
    byte[] der = TestKeys.RSA.toPrivateKey().getEncoded();
    String body = Base64.getMimeEncoder().encodeToString(der);
    String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----";

    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().publicKeyPem(pem))
        .withMessage("jwt.public_key holds a private key; configure the public key only");
  }

  @Test
  void pkcs1RsaKeyIsRefusedWithHowToConvertIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                JwtConfig.builder()
                    .publicKeyPem(
                        "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----"))
        .withMessageContaining("PKCS#1")
        .withMessageContaining("openssl rsa -RSAPublicKey_in -pubout");
  }

  @Test
  void weakRsaKeyIsRefused() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    String pem = TestKeys.pem(generator.generateKeyPair().getPublic());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> JwtConfig.builder().publicKeyPem(pem))
        .withMessage("jwt.public_key is a 1024-bit RSA key; at least 2048 are required");
  }

  @Test
  void ecKeyOnP384DefaultsToEs384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    String p384 = TestKeys.pem(generator.generateKeyPair().getPublic());

    assertThat(JwtConfig.builder().publicKeyPem(p384).build().algorithms()).containsOnly("ES384");
  }
}
