package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * When to refresh a token: at three quarters of its life, read from its {@code iat} (or now) and
 * {@code exp} claims. The client only reads the claims; the server verifies the token.
 */
final class TokenLife {
  private TokenLife() {}

  /** How long from {@code now} until the refresh is due; empty for a token without {@code exp}. */
  static Optional<Duration> refreshIn(String jwt, Instant now) {
    String[] parts = jwt.split("\\.");
    if (parts.length < 2) {
      return Optional.empty();
    }
    JsonNode claims;
    try {
      claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (Exception e) { // not a JWT we can read: the server will say what it thinks of it
      return Optional.empty();
    }
    if (!claims.path("exp").canConvertToLong()) {
      return Optional.empty();
    }
    Instant exp = Instant.ofEpochSecond(claims.get("exp").asLong());
    Instant issued =
        claims.path("iat").canConvertToLong()
            ? Instant.ofEpochSecond(claims.get("iat").asLong())
            : now;
    Instant due = issued.plus(Duration.between(issued, exp).multipliedBy(3).dividedBy(4));
    Duration in = Duration.between(now, due);
    return Optional.of(in.isNegative() ? Duration.ZERO : in);
  }
}
