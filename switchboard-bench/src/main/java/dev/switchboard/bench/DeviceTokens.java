package dev.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the JWTs Switchboard's devices connect with: HS256 (HMAC-SHA256 over {@code header.claims},
 * Base64url without padding, RFC 7519), claims {@code sub} (the user id), {@code iat} and {@code
 * exp}. Written out here rather than with a JOSE library: the benchmark needs only this one form.
 * Thread-safe.
 */
public final class DeviceTokens {

  private static final String HEADER = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration lifetime;

  /**
   * @param secret the server's signing secret (Switchboard wants 32 bytes or more)
   * @param lifetime how long a token stays valid after it is minted
   */
  public DeviceTokens(String secret, Clock clock, Duration lifetime) {
    Objects.requireNonNull(secret, "secret");
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
  }

  /** A token for {@code userId}, valid from now for the lifetime. */
  public String token(String userId) {
    if (!userId.matches("[A-Za-z0-9_.:-]+")) {
      throw new IllegalArgumentException(
          "user ids of the benchmark need no JSON escaping, got '" + userId + "'");
    }
    long now = clock.instant().getEpochSecond();
    return sign(
        "{\"sub\":\""
            + userId
            + "\",\"iat\":"
            + now
            + ",\"exp\":"
            + (now + lifetime.toSeconds())
            + "}");
  }

  /**
   * {@code header.claims.signature} over {@code claimsJson} as given, whatever it says ({@link
   * ProbeTokens}).
   */
  String sign(String claimsJson) {
    String signed = HEADER + "." + base64Url(claimsJson);
    return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(signed));
  }

  private byte[] hmac(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK, yet: " + e, e);
    }
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
