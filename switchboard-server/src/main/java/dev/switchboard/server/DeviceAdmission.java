package dev.switchboard.server;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.LimitExceededException;
import dev.switchboard.gateway.Registry;
import io.vertx.core.Context;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a device gets in, whatever its transport ({@code /ws}, {@code /sse}): refused while the
 * server shuts down, taken from its address's budget of new connections ({@link
 * RateLimits#upgradesPerMinutePerAddress()}), its token read and its transport's own parameters
 * checked, authenticated on a virtual thread (a JWKS fetch may block), and given a place in the
 * registry. Every refusal is counted in {@code /stats} ({@code connections_total.refused}) and
 * logged; an admitted device owns its place and must close it if it never becomes a session.
 *
 * <p>Thread-safe. {@link #admit} is called on the connection's event loop, and its listener is told
 * the outcome there, exactly once.
 */
final class DeviceAdmission {

  private static final Logger log = LoggerFactory.getLogger(DeviceAdmission.class);

  /**
   * A device asking to connect.
   *
   * @param remote the peer's address
   * @param query the request's raw query ({@code null}-free: empty when there is none)
   * @param authorization the {@code Authorization} header, when present
   * @param context the connection's event loop, where the listener is told the outcome
   */
  record Knock(
      SocketAddress remote,
      String query,
      Optional<String> authorization,
      Optional<String> apiKey,
      Context context) {
    Knock {
      Objects.requireNonNull(query, "query");
      Objects.requireNonNull(authorization, "authorization");
      Objects.requireNonNull(apiKey, "apiKey");
      Objects.requireNonNull(context, "context");
    }
  }

  /**
   * Why a device was refused.
   *
   * @param status the HTTP status to answer with
   * @param code a short machine-readable reason, as the HTTP API's {@code error.code}
   * @param message what was wrong, for people
   */
  record Refusal(int status, String code, String message) {}

  /** A transport's own parameters, read from the knock; a problem is a 400 naming it. */
  interface Parameters<P> {
    /**
     * @throws IllegalArgumentException naming what is wrong
     */
    P read();
  }

  /** Told the outcome of one knock, once, on its event loop. */
  interface Listener<P> {
    /**
     * Authenticated, with a place reserved; the listener now owns {@code place}. No place: the
     * connection presented the API key, a backend or another node's link, not a device.
     */
    void admitted(Identity identity, Optional<Registry.Reservation> place, P parameters);

    /** Refused (already counted and logged); nothing is left behind but the spent budget. */
    void refused(Refusal refusal);
  }

  private final ServerConfig config;
  private final BooleanSupplier shuttingDown;
  private final RateLimitGate rateLimits;
  private final DeviceAuth auth;
  private final Registry registry;
  private final ExecutorService handlers;
  private final ServerCounters counters;

  DeviceAdmission(
      ServerConfig config,
      BooleanSupplier shuttingDown,
      RateLimitGate rateLimits,
      DeviceAuth auth,
      Registry registry,
      ExecutorService handlers,
      ServerCounters counters) {
    this.config = config;
    this.shuttingDown = shuttingDown;
    this.rateLimits = rateLimits;
    this.auth = auth;
    this.registry = registry;
    this.handlers = handlers;
    this.counters = counters;
  }

  /** Admits or refuses {@code knock}; see the class comment for the steps. */
  <P> void admit(Knock knock, Parameters<P> parameters, Listener<P> listener) {
    if (shuttingDown.getAsBoolean()) {
      refuse(knock, listener, new Refusal(503, "SHUTTING_DOWN", "the server is shutting down"));
      return;
    }
    RateLimitGate.onLoop(
        rateLimits.upgrade(HttpApi.address(knock.remote())),
        knock.context(),
        granted -> {
          if (granted) {
            read(knock, parameters, listener);
          } else {
            refuse(
                knock,
                listener,
                new Refusal(
                    429,
                    "RATE_LIMIT_EXCEEDED",
                    "more than "
                        + config.rateLimits().upgradesPerMinutePerAddress()
                        + " new connections per minute from this address"));
          }
        });
  }

  /** Within the rate limit: reads the token and the transport's parameters. */
  private <P> void read(Knock knock, Parameters<P> parameters, Listener<P> listener) {
    Optional<String> token;
    try {
      token = DeviceAuth.token(knock.query(), knock.authorization().orElse(null));
    } catch (IllegalArgumentException e) {
      refuse(
          knock,
          listener,
          new Refusal(
              401,
              "UNAUTHORIZED",
              "the token parameter is not valid URL encoding: " + e.getMessage()));
      return;
    }
    P read;
    try {
      read = parameters.read();
    } catch (IllegalArgumentException e) {
      refuse(knock, listener, new Refusal(400, "BAD_REQUEST", e.getMessage()));
      return;
    }
    try {
      handlers.execute(() -> authenticate(knock, token, read, listener));
    } catch (RejectedExecutionException e) {
      refuse(knock, listener, new Refusal(503, "SHUTTING_DOWN", "the server is shutting down"));
    }
  }

  /**
   * On a virtual thread: the identity of {@code token}, then a place in the registry; the outcome
   * goes back to the knock's event loop.
   */
  private <P> void authenticate(
      Knock knock, Optional<String> token, P parameters, Listener<P> listener) {
    String remote = String.valueOf(knock.remote());
    Identity identity;
    Optional<Registry.Reservation> place;
    try {
      identity =
          knock.apiKey().isPresent() && config.apiKey().isPresent()
              ? byApiKey(knock.apiKey().get())
              : auth.identify(token, remote);
      place =
          identity.hasRole(ClusterMethods.NODE_ROLE)
              ? Optional.empty()
              : Optional.of(registry.reserve(Session.userKey(identity)));
    } catch (AuthException e) {
      later(knock, listener, new Refusal(401, "UNAUTHORIZED", e.getMessage()));
      return;
    } catch (LimitExceededException e) {
      later(
          knock,
          listener,
          e.limit() == LimitExceededException.Limit.CONNECTIONS
              ? new Refusal(503, "SERVER_FULL", e.getMessage())
              : new Refusal(429, "TOO_MANY_CONNECTIONS", e.getMessage()));
      return;
    } catch (IllegalArgumentException e) {
      // A verified token whose claims the registry refuses (a sub over 256 characters, say).
      later(knock, listener, new Refusal(401, "UNAUTHORIZED", "token refused: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      log.error("{}: admission failed unexpectedly", remote, e);
      counters.recent.add(
          RecentEvents.Kind.ERROR, String.valueOf(remote), "admission failed: " + e);
      later(knock, listener, new Refusal(500, "INTERNAL_ERROR", "internal error: " + e));
      return;
    }
    knock.context().runOnContext(v -> listener.admitted(identity, place, parameters));
  }

  /**
   * The identity of a connection that presents {@code api_key} at the handshake ({@code
   * X-API-Key}): another node's link, or a backend providing functions. It may register functions
   * and run other nodes' commands ({@link ClusterMethods}).
   *
   * @throws AuthException when the key is not the server's
   */
  private Identity byApiKey(String presented) {
    if (!config.apiKey().orElseThrow().matches(presented)) {
      throw new AuthException(
          dev.switchboard.auth.AuthFailure.BAD_SIGNATURE,
          "the " + ClusterNode.API_KEY_HEADER + " header is not this server's api_key");
    }
    // A user of its own per connection: max_connections_per_user does not cap nodes and backends.
    return new Identity(
        API_KEY_USER + "-" + apiKeyConnections.incrementAndGet(),
        List.of(ClusterMethods.NODE_ROLE, ClusterMethods.PROVIDER_ROLE),
        Optional.empty(),
        Optional.empty());
  }

  /** The user of a connection that presents the API key: this and a number. */
  static final String API_KEY_USER = "api-key";

  private final java.util.concurrent.atomic.AtomicLong apiKeyConnections =
      new java.util.concurrent.atomic.AtomicLong();

  private <P> void later(Knock knock, Listener<P> listener, Refusal refusal) {
    knock.context().runOnContext(v -> refuse(knock, listener, refusal));
  }

  private <P> void refuse(Knock knock, Listener<P> listener, Refusal refusal) {
    counters.refusedUpgrades.increment();
    log.info(
        "{}: connection refused with {}: {}", knock.remote(), refusal.status(), refusal.message());
    listener.refused(refusal);
  }
}
