package dev.switchboard.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * Which browser origins may call the server: the configured {@code http.cors_origins} ({@code *}
 * for any), or any origin in development mode when none are configured. Immutable.
 */
final class Cors {

  /** What a preflight may ask for: every method and header a route takes. */
  static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";

  static final String HEADERS =
      "Content-Type, X-API-Key, X-Tenant-ID, Authorization, Idempotency-Key, Last-Event-ID";

  private final ServerConfig config;

  Cors(ServerConfig config) {
    this.config = config;
  }

  /** Whether {@code origin} may call. */
  boolean allows(String origin) {
    var allowed = config.http().corsOrigins();
    if (allowed.isEmpty()) {
      return config.development();
    }
    return allowed.contains("*") || allowed.contains(origin);
  }

  /**
   * Names the request's origin in the answer when it may call; true then. False without an {@code
   * Origin} or for another one.
   */
  boolean allowOrigin(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null || !allows(origin)) {
      return false;
    }
    request.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
    return true;
  }
}
