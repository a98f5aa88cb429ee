package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.jsonrpc.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the JWTs devices present, by hand with the JDK's own crypto: the server must not accept a
 * token merely because the library it verifies with also made it, and attack tokens (alg none,
 * swapped payloads) are plainest built this way.
 */
final class PushTokens {

  static final String SECRET = "push-tests-hmac-secret-of-at-least-32-bytes";
  static final String ISSUER = "https://auth.example.test";
  static final String AUDIENCE = "switchboard-push";

  private PushTokens() {}

  /**
   * What the production fixture verifies with: {@link #SECRET}, HS256 only, {@link #ISSUER}, {@link
   * #AUDIENCE}.
   */
  static JwtConfig hs256Config() {
    return JwtConfig.builder()
        .secret(SECRET)
        .algorithms(Set.of("HS256"))
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build();
  }

  /** {@link #hs256Config()} without leeway: a token ends exactly at its {@code exp}. */
  static JwtConfig hs256ConfigWithoutLeeway() {
    return JwtConfig.builder()
        .secret(SECRET)
        .algorithms(Set.of("HS256"))
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .leeway(java.time.Duration.ZERO)
        .build();
  }

  /**
   * Good claims for {@code user}: from {@link #ISSUER} for {@link #AUDIENCE}, issued now, expiring
   * in 5 minutes.
   */
  static ObjectNode claims(String user) {
    long now = Instant.now().getEpochSecond();
    return Json.nodes()
        .objectNode()
        .put("sub", user)
        .put("iss", ISSUER)
        .put("aud", AUDIENCE)
        .put("iat", now)
        .put("exp", now + Duration.ofMinutes(5).toSeconds());
  }

  /** A good token for {@code user}, as the production fixture accepts it. */
  static String valid(String user) {
    return hmac("HS256", SECRET, claims(user));
  }

  /** A good token for {@code user} of {@code tenant} (its {@code tenant_id} claim). */
  static String valid(String user, String tenant) {
    return hmac("HS256", SECRET, claims(user).put("tenant_id", tenant));
  }

  /** An HMAC token: HS256, HS384 or HS512 with {@code secret}'s UTF-8 bytes. */
  static String hmac(String alg, String secret, JsonNode claims) {
    String java = "Hmac" + "SHA" + alg.substring(2);
    return sign(
        alg,
        claims,
        input -> {
          Mac mac = Mac.getInstance(java);
          mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), java));
          return mac.doFinal(input);
        });
  }

  static String rs256(PrivateKey key, JsonNode claims) {
    return sign("RS256", claims, input -> signature("SHA256withRSA", key, input));
  }

  /** ES256 signs with the raw r||s form JOSE uses (RFC 7518 §3.4), not DER. */
  static String es256(PrivateKey key, JsonNode claims) {
    return sign("ES256", claims, input -> signature("SHA256withECDSAinP1363Format", key, input));
  }

  /** An unsecured token, as an attacker writes it: {@code alg: none} and an empty signature. */
  static String unsecured(JsonNode claims) {
    return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims.toString()) + ".";
  }

  /** {@code token} with its claims swapped for {@code claims}, its header and signature kept. */
  static String withClaims(String token, JsonNode claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + encode(claims.toString()) + "." + parts[2];
  }

  /** A fresh RSA 2048 or EC P-256 key pair. */
  static KeyPair keyPair(String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a " + algorithm + " key pair", e);
    }
  }

  /** The SPKI PEM of {@code key}, as {@code jwt.public_key} takes it. */
  static String pem(PublicKey key) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  private interface Signer {
    byte[] sign(byte[] input) throws GeneralSecurityException;
  }

  private static String sign(String alg, JsonNode claims, Signer signer) {
    String input =
        encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + encode(claims.toString());
    try {
      byte[] signature = signer.sign(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + alg, e);
    }
  }

  private static byte[] signature(String algorithm, PrivateKey key, byte[] input)
      throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm);
    signature.initSign(key);
    signature.update(input);
    return signature.sign();
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
