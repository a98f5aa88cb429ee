package dev.switchboard.auth;

import static dev.switchboard.auth.Refusals.refusalOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.TestKeys.Scheme;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** For each algorithm family: the good token passes, and every forgery fails as a bad signature. */
class SignedTokenTest {

  private static TokenVerifier verifierFor(Scheme scheme) {
    return TokenVerifier.create(scheme.config().build());
  }

  private static String goodToken(Scheme scheme) {
    return Tokens.sign(scheme.alg, scheme.signer(), Tokens.claims().build());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void goodTokenYieldsTheIdentity(Scheme scheme) {
    Identity identity = verifierFor(scheme).verify(goodToken(scheme));

    assertThat(identity.userId()).isEqualTo("user-1");
    assertThat(identity.roles()).containsExactly("admin", "ops");
    assertThat(identity.tenantId()).contains("acme");
    assertThat(identity.expiresAt()).contains(Tokens.NOW.plus(Duration.ofMinutes(5)));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void tokenSignedWithAnotherKeyIsRefused(Scheme scheme) {
    String forged = Tokens.sign(scheme.alg, scheme.otherSigner(), Tokens.claims().build());

    assertThat(refusalOf(verifierFor(scheme), forged)).isEqualTo(AuthFailure.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void tokenWithAFlippedSignatureBitIsRefused(Scheme scheme) {
    String tampered = Tokens.flipSignatureBit(goodToken(scheme));

    assertThat(refusalOf(verifierFor(scheme), tampered)).isEqualTo(AuthFailure.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void tokenWhoseClaimsWereSwappedUnderItsSignatureIsRefused(Scheme scheme) {
    String tampered =
        Tokens.withPayload(goodToken(scheme), Tokens.claims().subject("admin").build());

    assertThat(refusalOf(verifierFor(scheme), tampered)).isEqualTo(AuthFailure.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void tokenWithoutItsSignatureIsRefused(Scheme scheme) {
    String good = goodToken(scheme);
    String stripped = good.substring(0, good.lastIndexOf('.') + 1);

    assertThat(refusalOf(verifierFor(scheme), stripped))
        .isIn(AuthFailure.MALFORMED, AuthFailure.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void unsecuredCopyOfAGoodTokenIsRefused(Scheme scheme) {
    String unsecured = Tokens.unsecured("none", Tokens.claims().build());

    assertThat(refusalOf(verifierFor(scheme), unsecured))
        .isEqualTo(AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void expiredTokenIsRefused(Scheme scheme) {
    String expired =
        Tokens.sign(
            scheme.alg,
            scheme.signer(),
            Tokens.claims()
                .expirationTime(Tokens.date(Tokens.NOW.minus(Duration.ofHours(1))))
                .build());

    assertThat(refusalOf(verifierFor(scheme), expired)).isEqualTo(AuthFailure.EXPIRED);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void verifierIsSafeToShareBetweenThreads(Scheme scheme) throws Exception {
    TokenVerifier verifier = verifierFor(scheme);
    String token = goodToken(scheme);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> results =
          threads.invokeAll(Collections.nCopies(50, () -> verifier.verify(token).userId()));
      for (Future<String> result : results) {
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("user-1");
      }
    }
  }
}
