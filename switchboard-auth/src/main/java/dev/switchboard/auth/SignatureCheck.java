package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a token's signature with the configured keys: the secret and the PEM key first, then the
 * JWKS keys. The token's algorithm has already been checked against the allowed set; each verifier
 * further refuses an algorithm its key cannot do, so an HMAC token is never checked against a
 * public key.
 */
final class SignatureCheck {

  /** Verifiers for {@code jwt.secret} and {@code jwt.public_key}; empty when neither is set. */
  private final List<JWSVerifier> ownKeys;

  private final Optional<JwksKeys> jwks;

  SignatureCheck(JwtConfig config) {
    List<JWSVerifier> own = new ArrayList<>();
    try {
      if (config.hasSecret()) {
        own.add(new MACVerifier(config.secretBytes()));
      }
      Optional<PublicKey> key = config.publicKey();
      if (key.isPresent() && key.get() instanceof RSAPublicKey rsa) {
        own.add(new RSASSAVerifier(rsa));
      } else if (key.isPresent() && key.get() instanceof ECPublicKey ec) {
        own.add(new ECDSAVerifier(ec));
      }
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "JwtConfig accepted a key nimbus refuses: " + e.getMessage(), e);
    }
    this.ownKeys = List.copyOf(own);
    this.jwks = config.jwksUrl().map(url -> new JwksKeys(url, config));
  }

  /** Returns normally if the signature verifies; otherwise throws {@link AuthException}. */
  void check(SignedJWT jwt) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    List<JWSVerifier> fitting =
        ownKeys.stream().filter(v -> v.supportedJWSAlgorithms().contains(alg)).toList();
    if (fitting.stream().anyMatch(v -> verifies(jwt, v))) {
      return;
    }
    if (jwks.isEmpty() || Algorithms.HMAC.contains(alg)) {
      throw fitting.isEmpty()
          ? noKey(jwt, "no configured key fits")
          : badSignature("the configured key");
    }
    List<JWSVerifier> fromJwks = jwks.get().select(jwt.getHeader());
    if (fromJwks.isEmpty()) {
      if (!fitting.isEmpty()) {
        throw badSignature("jwt.public_key");
      }
      if (!jwks.get().hasKeys()) {
        throw new AuthException(
            AuthFailure.KEYS_UNAVAILABLE, "no keys could be fetched yet from " + jwks.get().url());
      }
      throw noKey(jwt, "no key in the set from " + jwks.get().url() + " fits");
    }
    if (fromJwks.stream().noneMatch(v -> verifies(jwt, v))) {
      throw badSignature("the key" + kid(jwt) + " from " + jwks.get().url());
    }
  }

  private static boolean verifies(SignedJWT jwt, JWSVerifier verifier) {
    try {
      return jwt.verify(verifier);
    } catch (JOSEException e) {
      return false; // e.g. a critical header we do not understand: not a valid signature for us
    }
  }

  private static AuthException badSignature(String key) {
    return new AuthException(
        AuthFailure.BAD_SIGNATURE, "token signature does not verify with " + key);
  }

  private static AuthException noKey(SignedJWT jwt, String why) {
    return new AuthException(
        AuthFailure.NO_MATCHING_KEY,
        why + " the token (alg " + jwt.getHeader().getAlgorithm().getName() + kid(jwt) + ")");
  }

  private static String kid(SignedJWT jwt) {
    String kid = jwt.getHeader().getKeyID();
    return kid == null ? "" : " kid " + AuthException.quote(kid);
  }
}
