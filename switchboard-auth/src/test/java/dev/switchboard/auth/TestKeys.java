package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.security.PublicKey;
import java.util.Base64;

/** Keys for the tests, generated once per run. */
final class TestKeys {

  /** 64 bytes: long enough for HS512. */
  static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  static final String OTHER_SECRET =
      "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  static final RSAKey RSA = rsa("rsa-1");
  static final RSAKey OTHER_RSA = rsa("rsa-2");
  static final ECKey EC = ec("ec-1");
  static final ECKey OTHER_EC = ec("ec-2");

  private TestKeys() {}

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static String pem(RSAKey key) {
    try {
      return pem(key.toPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(ECKey key) {
    try {
      return pem(key.toPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Each algorithm family with the config that trusts its key, a signer for that key, and one for
   * another.
   */
  enum Scheme {
    HS256(JWSAlgorithm.HS256),
    HS384(JWSAlgorithm.HS384),
    HS512(JWSAlgorithm.HS512),
    RS256(JWSAlgorithm.RS256),
    ES256(JWSAlgorithm.ES256);

    final JWSAlgorithm alg;

    Scheme(JWSAlgorithm alg) {
      this.alg = alg;
    }

    JwtConfig.Builder config() {
      JwtConfig.Builder b = JwtConfig.builder().clock(Tokens.CLOCK);
      return switch (this) {
        case HS256, HS384, HS512 -> b.secret(SECRET);
        case RS256 -> b.publicKeyPem(pem(RSA));
        case ES256 -> b.publicKeyPem(pem(EC));
      };
    }

    JWSSigner signer() {
      return signer(false);
    }

    JWSSigner otherSigner() {
      return signer(true);
    }

    private JWSSigner signer(boolean other) {
      try {
        return switch (this) {
          case HS256, HS384, HS512 -> new MACSigner(other ? OTHER_SECRET : SECRET);
          case RS256 -> new RSASSASigner(other ? OTHER_RSA : RSA);
          case ES256 -> new ECDSASigner(other ? OTHER_EC : EC);
        };
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
