package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.AuthException;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.resilience.RateLimiter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sse/ack}: how a device on an SSE stream, which cannot send on it, acknowledges a
 * notification. With the stream's token and {@code {"notification_id": "<uuid>"}} it answers {@code
 * {"acked": true}}, or 404 {@code NOT_AWAITING_ACK} when nothing of the token's user waits for it.
 * An anonymous device (development mode) has no token to say who it is, so it names its stream
 * instead: {@code "connection_id"} from its {@code connected} event. Rate limited per address as
 * the HTTP API is; needs no API key. Refusals answer with the API's error body.
 */
final class SseAcks {

  private static final Logger log = LoggerFactory.getLogger(SseAcks.class);

  /** Largest body: a notification id and a connection id fit many times over. */
  static final int MAX_BODY_BYTES = 4096;

  private final ServerConfig config;
  private final Sessions sessions;
  private final DeviceAuth auth;
  private final Deliveries deliveries;
  private final RateLimitGate rateLimits;
  private final ExecutorService handlers;
  private final BooleanSupplier shuttingDown;

  SseAcks(
      ServerConfig config,
      Sessions sessions,
      DeviceAuth auth,
      Deliveries deliveries,
      RateLimitGate rateLimits,
      ExecutorService handlers,
      BooleanSupplier shuttingDown) {
    this.config = config;
    this.sessions = sessions;
    this.auth = auth;
    this.deliveries = deliveries;
    this.rateLimits = rateLimits;
    this.handlers = handlers;
    this.shuttingDown = shuttingDown;
  }

  /** Answers one {@code POST /sse/ack}; on the event loop. */
  void ack(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (shuttingDown.getAsBoolean()) {
      response.putHeader("Connection", "close");
      JsonHttp.fail(response, ApiException.shuttingDown());
      return;
    }
    request.pause(); // no body chunk may arrive before its handler is set
    RateLimitGate.onLoop(
        rateLimits.http(Optional.empty(), HttpApi.address(request.remoteAddress())),
        Vertx.currentContext(),
        taken -> {
          if (taken.map(RateLimiter.Result::granted).orElse(true)) {
            readAck(request);
          } else {
            long retry = Math.max(1, RateLimitGate.seconds(taken.get().retryAfterNanos()));
            response.putHeader("Retry-After", String.valueOf(retry));
            JsonHttp.fail(
                response,
                ApiException.rateLimited(
                    "too many requests from this address; retry after " + retry + " s", retry));
          }
          request.resume();
        });
  }

  private void readAck(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    JsonHttp.readBody(
        request,
        response,
        MAX_BODY_BYTES,
        body -> {
          Optional<String> authorization = Optional.ofNullable(request.getHeader("Authorization"));
          String query = Objects.requireNonNullElse(request.query(), "");
          String remote = String.valueOf(request.remoteAddress());
          try {
            handlers.execute(
                () -> answer(response, () -> acknowledge(query, authorization, body, remote)));
          } catch (RejectedExecutionException e) {
            JsonHttp.fail(response, ApiException.shuttingDown());
          }
        });
  }

  /**
   * On a virtual thread: who acknowledges (the token's user, or an anonymous device's stream's),
   * then the acknowledgement.
   */
  private JsonNode acknowledge(
      String query, Optional<String> authorization, Buffer body, String remote) {
    Optional<String> token;
    try {
      token = DeviceAuth.token(query, authorization.orElse(null));
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthorized(
          "the token parameter is not valid URL encoding: " + e.getMessage());
    }
    Optional<String> verified;
    try {
      verified =
          token.isPresent() && auth.verifiesTokens()
              ? Optional.of(Session.userKey(auth.verify(token.get())))
              : Optional.empty();
    } catch (AuthException e) {
      throw ApiException.unauthorized(e.getMessage());
    }
    if (verified.isEmpty() && !config.development()) {
      throw ApiException.unauthorized(
          "a token is required: ?token=<JWT> or Authorization: Bearer <JWT>");
    }
    JsonNode request = JsonHttp.parse(body, "{\"notification_id\": \"<uuid>\"}");
    UUID id = notificationId(request);
    Optional<String> connection = text(request, "connection_id");
    String user = verified.orElseGet(() -> anonymousUser(connection, remote));
    if (!deliveries.ack(user, id)) {
      throw new ApiException(
          404,
          "NOT_AWAITING_ACK",
          "notification "
              + id
              + " is not waiting for an ACK from user "
              + Tenant.userName(user)
              + ": it was never sent to them, its ACK timed out and it left their inbox, or it was"
              + " sent to a channel (channels are recovered by offset instead)",
          Optional.empty());
    }
    return Json.nodes().objectNode().put("acked", true);
  }

  /** Development mode without a token: the user of the stream {@code connection} names. */
  private String anonymousUser(Optional<String> connection, String remote) {
    if (connection.isEmpty()) {
      throw ApiException.invalid(
          "without a token (development mode) name your stream: connection_id, as its connected"
              + " event gave it");
    }
    String wanted = connection.get();
    Optional<String> user =
        sessions.all().stream().filter(s -> s.id().equals(wanted)).map(Session::userId).findFirst();
    if (user.isEmpty()) {
      throw new ApiException(
          404,
          "NO_SUCH_CONNECTION",
          "no connection " + "\"" + wanted + "\"" + " is open on this server",
          Optional.empty());
    }
    log.atDebug()
        .addKeyValue(LogFields.CONNECTION_ID, wanted)
        .addKeyValue(LogFields.USER_ID, Tenant.userName(user.get()))
        .addKeyValue(LogFields.TENANT_ID, Tenant.ofUser(user.get()).id())
        .log("{}: acknowledging for {} of {} (development mode)", remote, wanted, user.get());
    return user.get();
  }

  private static UUID notificationId(JsonNode request) {
    if (!request.isObject()) {
      throw ApiException.invalid(
          "the request body must be a JSON object: {\"notification_id\": \"<uuid>\"}");
    }
    Optional<String> id = text(request, "notification_id");
    if (id.isEmpty()) {
      throw ApiException.invalid("notification_id is required (the notification's id, a UUID)");
    }
    try {
      return UUID.fromString(id.get());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("notification_id must be a UUID, got " + "\"" + id.get() + "\"");
    }
  }

  /** The string field {@code name}; empty when absent or null. */
  private static Optional<String> text(JsonNode request, String name) {
    JsonNode value = request.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw ApiException.invalid(name + " must be a string, got " + value);
    }
    return Optional.of(value.asText());
  }

  private void answer(HttpServerResponse response, Supplier<JsonNode> route) {
    try {
      JsonHttp.send(response, 200, route.get());
    } catch (ApiException e) {
      JsonHttp.fail(response, e);
    } catch (RuntimeException e) {
      log.error("{}: unexpected failure", SseEndpoint.ACK, e);
      JsonHttp.fail(
          response, new ApiException(500, "INTERNAL_ERROR", "internal error", Optional.empty()));
    }
  }
}
