package dev.switchboard.auth;

import static dev.switchboard.auth.Refusals.refusalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.switchboard.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keys fetched from a real local HTTP server; time moves only when the test says so. */
class JwksTest {

  private static final Duration AFTER_MIN_INTERVAL = Duration.ofSeconds(31);
  private static final Duration AFTER_REFRESH = Duration.ofMinutes(6);

  private final MutableClock clock = new MutableClock(Tokens.NOW);
  private JwksServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private TokenVerifier verifier() {
    return TokenVerifier.create(
        JwtConfig.builder()
            .jwksUrl(server.url())
            .clock(clock)
            .jwksTimeout(Duration.ofSeconds(5))
            .build());
  }

  /**
   * A token signed by {@code key}, naming it by its kid, valid for an hour from the start of the
   * test.
   */
  private static String tokenSignedBy(JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return Tokens.sign(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(),
            new RSASSASigner(rsa),
            Tokens.claims().expirationTime(Tokens.date(Tokens.NOW.plusSeconds(3600))).build());
      }
      ECKey ec = (ECKey) key;
      return Tokens.sign(
          new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
          new ECDSASigner(ec),
          Tokens.claims().expirationTime(Tokens.date(Tokens.NOW.plusSeconds(3600))).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tokensVerifyWithKeysFromTheKeySet() throws IOException {
    server = JwksServer.serving(TestKeys.RSA, TestKeys.EC);
    TokenVerifier verifier = verifier();

    assertThat(verifier.verify(tokenSignedBy(TestKeys.RSA)).userId()).isEqualTo("user-1");
    assertThat(verifier.verify(tokenSignedBy(TestKeys.EC)).userId()).isEqualTo("user-1");
  }

  @Test
  void keySetIsFetchedOnceAndThenServedFromTheCache() throws IOException {
    server = JwksServer.serving(TestKeys.RSA, TestKeys.EC);
    TokenVerifier verifier = verifier();

    for (int i = 0; i < 10; i++) {
      verifier.verify(tokenSignedBy(TestKeys.RSA));
      verifier.verify(tokenSignedBy(TestKeys.EC));
    }

    assertThat(server.fetches()).isEqualTo(1);
  }

  @Test
  void nothingIsFetchedBeforeTheFirstToken() throws IOException {
    server = JwksServer.serving(TestKeys.RSA);
    verifier();

    assertThat(server.fetches()).isZero();
  }

  @Test
  void tokenWithoutKidIsVerifiedByTheKeysOfItsType() throws IOException, JOSEException {
    server = JwksServer.serving(TestKeys.OTHER_RSA, TestKeys.RSA);
    String noKid =
        Tokens.sign(JWSAlgorithm.RS256, new RSASSASigner(TestKeys.RSA), Tokens.claims().build());

    assertThat(verifier().verify(noKid).userId()).isEqualTo("user-1");
  }

  @Test
  void tokenSignedByAnotherKeyUnderAKnownKidIsRefused() throws IOException, JOSEException {
    server = JwksServer.serving(TestKeys.RSA);
    String forged =
        Tokens.sign(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(TestKeys.RSA.getKeyID()).build(),
            new RSASSASigner(TestKeys.OTHER_RSA),
            Tokens.claims().build());

    assertThat(refusalOf(verifier(), forged)).isEqualTo(AuthFailure.BAD_SIGNATURE);
  }

  @Test
  void rotatedKeyWithANewKidIsFetchedAndVerifies() throws IOException {
    server = JwksServer.serving(TestKeys.RSA);
    TokenVerifier verifier = verifier();
    verifier.verify(tokenSignedBy(TestKeys.RSA));

    server.publish(TestKeys.RSA, TestKeys.OTHER_RSA);
    clock.advance(AFTER_MIN_INTERVAL);

    assertThat(verifier.verify(tokenSignedBy(TestKeys.OTHER_RSA)).userId()).isEqualTo("user-1");
    assertThat(server.fetches()).isEqualTo(2);
  }

  @Test
  void unknownKidsRefetchAtMostOncePerMinimumInterval() throws IOException {
    server = JwksServer.serving(TestKeys.RSA);
    TokenVerifier verifier = verifier();
    verifier.verify(tokenSignedBy(TestKeys.RSA));
    clock.advance(AFTER_MIN_INTERVAL);

    assertThat(refusalOf(verifier, tokenSignedBy(TestKeys.OTHER_RSA)))
        .isEqualTo(AuthFailure.NO_MATCHING_KEY);
    RSAKey madeUp = new RSAKey.Builder(TestKeys.OTHER_RSA).keyID("made-up").build();
    assertThat(refusalOf(verifier, tokenSignedBy(madeUp))).isEqualTo(AuthFailure.NO_MATCHING_KEY);
    assertThat(server.fetches()).isEqualTo(2);

    server.publish(TestKeys.RSA, TestKeys.OTHER_RSA);
    assertThat(refusalOf(verifier, tokenSignedBy(TestKeys.OTHER_RSA)))
        .isEqualTo(AuthFailure.NO_MATCHING_KEY);
    clock.advance(AFTER_MIN_INTERVAL);
    assertThat(verifier.verify(tokenSignedBy(TestKeys.OTHER_RSA)).userId()).isEqualTo("user-1");
    assertThat(server.fetches()).isEqualTo(3);
  }

  @Test
  void keyServerDownAfterTheFirstFetchLeavesTheCachedKeysWorking() throws IOException {
    server = JwksServer.serving(TestKeys.RSA);
    TokenVerifier verifier = verifier();
    verifier.verify(tokenSignedBy(TestKeys.RSA));

    server.close();
    clock.advance(AFTER_REFRESH);

    assertThat(verifier.verify(tokenSignedBy(TestKeys.RSA)).userId()).isEqualTo("user-1");
    assertThat(refusalOf(verifier, tokenSignedBy(TestKeys.OTHER_RSA)))
        .isEqualTo(AuthFailure.NO_MATCHING_KEY);
    clock.advance(AFTER_REFRESH);
    assertThat(verifier.verify(tokenSignedBy(TestKeys.RSA)).userId()).isEqualTo("user-1");
  }

  @Test
  void keyServerDownFromTheStartMakesKeysUnavailable() throws IOException {
    TokenVerifier verifier =
        TokenVerifier.create(
            JwtConfig.builder().jwksUrl(JwksServer.deadUrl()).clock(clock).build());

    assertThat(refusalOf(verifier, tokenSignedBy(TestKeys.RSA)))
        .isEqualTo(AuthFailure.KEYS_UNAVAILABLE);
  }

  @Test
  void failingKeyServerIsRetriedOnlyAfterTheMinimumInterval() throws IOException {
    server = JwksServer.serving(TestKeys.RSA);
    server.answer(503, "unavailable");
    TokenVerifier verifier = verifier();

    assertThat(refusalOf(verifier, tokenSignedBy(TestKeys.RSA)))
        .isEqualTo(AuthFailure.KEYS_UNAVAILABLE);
    assertThat(refusalOf(verifier, tokenSignedBy(TestKeys.RSA)))
        .isEqualTo(AuthFailure.KEYS_UNAVAILABLE);
    assertThat(server.fetches()).isEqualTo(1);

    server.publish(TestKeys.RSA);
    clock.advance(AFTER_MIN_INTERVAL);
    assertThat(verifier.verify(tokenSignedBy(TestKeys.RSA)).userId()).isEqualTo("user-1");
    assertThat(server.fetches()).isEqualTo(2);
  }

  @Test
  void keySetThatIsNotJsonMakesKeysUnavailable() throws IOException {
    server = JwksServer.serving();
    server.answer(200, "<html>login</html>");

    assertThat(refusalOf(verifier(), tokenSignedBy(TestKeys.RSA)))
        .isEqualTo(AuthFailure.KEYS_UNAVAILABLE);
  }

  @Test
  void weakRsaKeyInTheKeySetIsNeverUsed() throws IOException, JOSEException {
    RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
    server = JwksServer.serving(weak);
    String token =
        Tokens.sign(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak").build(),
            new RSASSASigner(weak.toPrivateKey(), Set.of(AllowWeakRSAKey.getInstance())),
            Tokens.claims().build());

    assertThat(refusalOf(verifier(), token)).isEqualTo(AuthFailure.KEYS_UNAVAILABLE);
  }

  @Test
  void emptyKeySetMakesKeysUnavailable() throws IOException {
    server = JwksServer.serving();

    assertThat(refusalOf(verifier(), tokenSignedBy(TestKeys.RSA)))
        .isEqualTo(AuthFailure.KEYS_UNAVAILABLE);
  }

  @Test
  void staleKeysAreRefreshedInTheBackgroundWhileTheCachedOnesKeepServing()
      throws IOException, InterruptedException {
    server = JwksServer.serving(TestKeys.RSA);
    TokenVerifier verifier = verifier();
    verifier.verify(tokenSignedBy(TestKeys.RSA));
    CountDownLatch stalled = server.stall();
    server.publish(TestKeys.RSA, TestKeys.EC);

    clock.advance(AFTER_REFRESH);
    assertThat(verifier.verify(tokenSignedBy(TestKeys.RSA)).userId()).isEqualTo("user-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.fetches() == 2);
    assertThat(verifier.verify(tokenSignedBy(TestKeys.RSA)).userId()).isEqualTo("user-1");

    stalled.countDown();
    assertThat(verifier.verify(tokenSignedBy(TestKeys.EC)).userId()).isEqualTo("user-1");
    assertThat(server.fetches()).isEqualTo(2);
  }
}
