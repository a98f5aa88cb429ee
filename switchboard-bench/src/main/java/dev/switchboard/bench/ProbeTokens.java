package dev.switchboard.bench;

import java.time.Clock;
import java.time.Duration;

/**
 * HS256 tokens with whatever claims an attack needs, including ones {@link DeviceTokens} refuses to
 * mint (a {@code sub} that is a number, or 300 characters long). Signed with the server's real
 * secret, so every token here verifies: what the server does with it is the question. Thread-safe.
 */
final class ProbeTokens {

  private final DeviceTokens signer;

  ProbeTokens(String secret) {
    this.signer = new DeviceTokens(secret, Clock.systemUTC(), Duration.ofHours(1));
  }

  /** A token for user {@code sub} that expires at {@code exp} (epoch seconds). */
  String forUser(String sub, long exp) {
    return sign("{\"sub\":\"" + sub + "\",\"iat\":" + nowSeconds() + ",\"exp\":" + exp + "}");
  }

  /** A token for user {@code sub} valid for an hour. */
  String forUser(String sub) {
    return forUser(sub, nowSeconds() + 3600);
  }

  /**
   * A valid token for {@code sub} of exactly {@code chars} characters (or the nearest shorter
   * length Base64url can make), its claims padded with an unused {@code pad} claim.
   */
  String ofLength(String sub, int chars) {
    long exp = nowSeconds() + 3600;
    String best = forUser(sub, exp);
    for (int pad = Math.max(0, chars * 3 / 4 - 200); pad < chars; pad++) {
      String token =
          sign("{\"sub\":\"" + sub + "\",\"exp\":" + exp + ",\"pad\":\"" + "p".repeat(pad) + "\"}");
      if (token.length() > chars) {
        break;
      }
      best = token;
    }
    return best;
  }

  /** {@code header.claims.signature} over the claims JSON as given. */
  String sign(String claimsJson) {
    return signer.sign(claimsJson);
  }

  static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
