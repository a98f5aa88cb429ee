package dev.switchboard.server;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.Identity;
import dev.switchboard.auth.TokenVerifier;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is connecting: the JWT from {@code ?token=} or {@code Authorization: Bearer}, verified. In
 * development mode a device without a token connects anonymously (logged as a warning); in
 * production it is refused. {@link #identify} and {@link #verify} may block (a JWKS fetch): call
 * them on a virtual thread.
 */
final class DeviceAuth {

  private static final Logger log = LoggerFactory.getLogger(DeviceAuth.class);

  private final Optional<TokenVerifier> verifier;
  private final boolean development;
  private final AtomicLong anonymous = new AtomicLong();

  DeviceAuth(Optional<TokenVerifier> verifier, boolean development) {
    this.verifier = verifier;
    this.development = development;
  }

  /**
   * The identity of the device making {@code handshake}.
   *
   * @throws AuthException when the token is missing (production) or fails verification
   */
  Identity identify(Optional<String> token, String remote) {
    if (token.isPresent() && verifier.isPresent()) {
      return verifier.get().verify(token.get());
    }
    if (!development) {
      throw new AuthException(
          dev.switchboard.auth.AuthFailure.MISSING_TOKEN,
          "a token is required: ?token=<JWT> or Authorization: Bearer <JWT>");
    }
    String id = "anonymous-" + anonymous.incrementAndGet();
    if (token.isPresent()) {
      log.warn("{}: token not checked (no JWT key configured); connected as {}", remote, id);
    } else {
      log.warn("{}: no token; connected as {} (development mode)", remote, id);
    }
    return Identity.anonymous(id);
  }

  /** Whether tokens are checked: false in development mode without a JWT key. */
  boolean verifiesTokens() {
    return verifier.isPresent();
  }

  /**
   * Verifies a token presented on an open connection ({@code refresh}), with the same verifier as
   * the handshake. May block like {@link #identify}.
   *
   * @throws AuthException when the token fails verification
   * @throws IllegalStateException when no JWT key is configured ({@link #verifiesTokens()} is
   *     false)
   */
  Identity verify(String token) {
    return verifier
        .orElseThrow(() -> new IllegalStateException("no JWT key is configured"))
        .verify(token);
  }

  /** The token of a handshake: the {@code token} query parameter, else the bearer token. */
  static Optional<String> token(ServerWebSocketHandshake handshake) {
    String query = handshake.query();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("token=")) {
          return Optional.of(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
        }
      }
    }
    String header = handshake.headers().get("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(header.substring(7).trim());
    }
    return Optional.empty();
  }
}
