package dev.switchboard.server;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.Identity;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.gateway.Tenant;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

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
    LoggingEventBuilder line =
        log.atWarn()
            .addKeyValue(LogFields.USER_ID, id)
            .addKeyValue(LogFields.TENANT_ID, Tenant.DEFAULT.id());
    if (token.isPresent()) {
      line.log("{}: token not checked (no JWT key configured); connected as {}", remote, id);
    } else {
      line.log("{}: no token; connected as {} (development mode)", remote, id);
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
    return token(handshake.query(), handshake.headers().get("Authorization"));
  }

  /**
   * The token of a device's request: the {@code token} query parameter, else an {@code
   * Authorization: Bearer} header; empty when neither is there.
   *
   * @throws IllegalArgumentException when the parameter is not valid URL encoding
   */
  static Optional<String> token(String query, String authorization) {
    Optional<String> param = parameter(query, "token");
    if (param.isPresent()) {
      return param;
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim());
    }
    return Optional.empty();
  }

  /**
   * The first value of query parameter {@code name}, URL-decoded; empty when absent.
   *
   * @throws IllegalArgumentException when it is not valid URL encoding
   */
  static Optional<String> parameter(String query, String name) {
    if (query != null) {
      String prefix = name + "=";
      for (String pair : query.split("&")) {
        if (pair.startsWith(prefix)) {
          return Optional.of(
              URLDecoder.decode(pair.substring(prefix.length()), StandardCharsets.UTF_8));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the device declares it acknowledges what it receives: {@code ack=1} (or {@code true});
   * {@code ack=0}, {@code false} or none: it does not.
   *
   * @throws IllegalArgumentException for any other value, naming it
   */
  static boolean acknowledges(String query) {
    return switch (parameter(query, "ack").orElse("0")) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "ack must be 1 or 0, got \"" + parameter(query, "ack").orElseThrow() + "\"");
    };
  }
}
