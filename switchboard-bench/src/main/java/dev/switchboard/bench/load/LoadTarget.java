package dev.switchboard.bench.load;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The server under load: its HTTP base URL, the API key for the notification API (none in
 * development mode) and the JWT secret devices sign their tokens with (none: devices connect
 * without a token, which only a development-mode server accepts).
 */
public record LoadTarget(URI base, Optional<String> apiKey, Optional<String> jwtSecret) {

  public LoadTarget {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(jwtSecret, "jwtSecret");
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
      throw new IllegalArgumentException("--url must be http:// or https://, got " + base);
    }
    if (base.getHost() == null) {
      throw new IllegalArgumentException("--url needs a host, got " + base);
    }
  }

  /** The base with {@code path} (and its query) in place of any path it had. */
  public URI resolve(String pathAndQuery) {
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + pathAndQuery);
  }

  /** {@code ws://} or {@code wss://} with {@code pathAndQuery}. */
  public URI webSocket(String pathAndQuery) {
    String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
    return URI.create(scheme + "://" + base.getRawAuthority() + pathAndQuery);
  }
}
