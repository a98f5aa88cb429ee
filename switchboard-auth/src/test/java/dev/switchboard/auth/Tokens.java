package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

/** Mints the tokens the tests present, at a fixed "now". */
final class Tokens {

  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private Tokens() {}

  /**
   * A good set of claims: a user with two roles and a tenant, issued now, expiring in five minutes.
   */
  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .subject("user-1")
        .claim("roles", List.of("admin", "ops"))
        .claim("tenant_id", "acme")
        .issueTime(date(NOW))
        .expirationTime(date(NOW.plus(Duration.ofMinutes(5))));
  }

  static String sign(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims) {
    return sign(new JWSHeader(alg), signer, claims);
  }

  static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /**
   * An unsecured JWT built by hand, as an attacker would: a header naming {@code alg}, and no
   * signature.
   */
  static String unsecured(String alg, JWTClaimsSet claims) {
    return encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}")
        + "."
        + encode(claims.toString())
        + ".";
  }

  /**
   * The token with one bit of its signature flipped, away from the last character's padding bits.
   */
  static String flipSignatureBit(String token) {
    int at = token.lastIndexOf('.') + 5;
    char c = token.charAt(at);
    return token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1);
  }

  /** The token with its payload swapped for other claims, its signature kept. */
  static String withPayload(String token, JWTClaimsSet claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + encode(claims.toString()) + "." + parts[2];
  }

  static Date date(Instant instant) {
    return Date.from(instant);
  }

  private static String encode(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
