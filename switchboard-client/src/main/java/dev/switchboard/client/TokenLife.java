package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a token goes ({@code ?token=}) and when to refresh it: at three quarters of its life, read
 * from its {@code iat} (or now) and {@code exp} claims. The client only reads the claims; the
 * server verifies the token.
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

  /** {@code uri} with {@code token=} set to {@code jwt} (replacing one already there). */
  static URI inQuery(URI uri, String jwt) {
    return withParameter(uri, "token", jwt);
  }

  /** {@code uri} with query parameter {@code name} set to {@code value}, replacing one there. */
  static URI withParameter(URI uri, String name, String value) {
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    StringBuilder kept = new StringBuilder();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty() && !pair.startsWith(name + "=")) {
        kept.append(kept.isEmpty() ? "" : "&").append(pair);
      }
    }
    kept.append(kept.isEmpty() ? "" : "&")
        .append(name)
        .append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    String plain = uri.toString();
    int q = plain.indexOf('?');
    int hash = plain.indexOf('#');
    String head = q >= 0 ? plain.substring(0, q) : hash >= 0 ? plain.substring(0, hash) : plain;
    return URI.create(head + "?" + kept + (hash >= 0 ? plain.substring(hash) : ""));
  }
}
