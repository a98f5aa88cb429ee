package dev.switchboard.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.Registry;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.resilience.RateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events for devices that cannot open a WebSocket: {@code GET /sse} is a {@link
 * Session} like any other (admitted by {@link DeviceAdmission}, with the same limits, stats,
 * shutdown, slow-consumer and token-expiry rules) over an {@link SseSink}, and {@code POST
 * /sse/ack} is how such a device acknowledges a notification. Neither passes through the HTTP API:
 * no API key, and a stream holds none of the API's concurrent-request slots for its lifetime.
 * Refusals answer with their status and the API's error body, {@code {"error": {"code", "message",
 * "details"}}}.
 *
 * <p>{@code GET /sse?token=JWT} (or {@code Authorization: Bearer JWT}; none in development mode),
 * with {@code channels=a,b} to follow channels, {@code ack=1} to acknowledge, and {@code
 * Last-Event-ID} (or {@code last_event_id=}) to resume: see {@link SseEventId}.
 *
 * <p>{@code POST /sse/ack} with the same token and {@code {"notification_id": "<uuid>"}} answers
 * {@code {"acked": true}}, or 404 {@code not_awaiting_ack} when nothing of the token's user waits
 * for it. An anonymous device (development mode) has no token to say who it is, so it names its
 * stream instead: {@code "connection_id"} from its {@code connected} event.
 */
final class SseEndpoint {

  private static final Logger log = LoggerFactory.getLogger(SseEndpoint.class);

  static final String STREAM = "/sse";
  static final String ACK = "/sse/ack";

  /** Largest {@code /sse/ack} body: a notification id and a connection id fit many times over. */
  static final int MAX_ACK_BODY_BYTES = 4096;

  private final ServerConfig config;
  private final DeviceAdmission admission;
  private final Sessions sessions;
  private final DeviceAuth auth;
  private final Deliveries deliveries;
  private final RateLimitGate rateLimits;
  private final ExecutorService handlers;
  private final BooleanSupplier shuttingDown;
  private final Clock clock;

  SseEndpoint(
      ServerConfig config,
      DeviceAdmission admission,
      Sessions sessions,
      DeviceAuth auth,
      Deliveries deliveries,
      RateLimitGate rateLimits,
      ExecutorService handlers,
      BooleanSupplier shuttingDown,
      Clock clock) {
    this.config = config;
    this.admission = admission;
    this.sessions = sessions;
    this.auth = auth;
    this.deliveries = deliveries;
    this.rateLimits = rateLimits;
    this.handlers = handlers;
    this.shuttingDown = shuttingDown;
    this.clock = clock;
  }

  /**
   * Answers {@code request} when it is for {@code /sse} or {@code /sse/ack} (CORS preflights aside,
   * which the HTTP API answers); false for every other request. On the event loop.
   */
  boolean handle(HttpServerRequest request) {
    String path = request.path();
    boolean stream = path.equals(STREAM);
    if (!(stream || path.equals(ACK)) || request.method() == HttpMethod.OPTIONS) {
      return false;
    }
    allowOrigin(request);
    HttpMethod expected = stream ? HttpMethod.GET : HttpMethod.POST;
    if (request.method() != expected) {
      request.response().putHeader("Allow", expected.name()).putHeader("Connection", "close");
      fail(
          request.response(),
          new ApiException(
              405,
              "method_not_allowed",
              path + " takes " + expected.name() + ", not " + request.method().name(),
              Optional.empty()));
      return true;
    }
    if (stream) {
      open(request);
    } else {
      ack(request);
    }
    return true;
  }

  // ---- GET /sse

  private void open(HttpServerRequest request) {
    Context context = Vertx.currentContext();
    String query = Objects.requireNonNullElse(request.query(), "");
    int maxChannels = config.registryLimits().maxSubscriptionsPerConnection();
    admission.admit(
        new DeviceAdmission.Knock(
            request.remoteAddress(),
            query,
            Optional.ofNullable(request.getHeader("Authorization")),
            context),
        () -> SseRequest.read(query, request.getHeader("Last-Event-ID"), maxChannels),
        new DeviceAdmission.Listener<SseRequest>() {
          @Override
          public void admitted(Identity identity, Registry.Reservation place, SseRequest asked) {
            if (request.response().closed()) {
              place.close(); // the client left while it was being admitted
              return;
            }
            String user = identity.userId();
            SseSink sink =
                new SseSink(request, context, clock, config.sseHeartbeat(), asked.resumeFrom(user));
            sessions.open(
                sink,
                identity,
                place,
                Sessions.Join.sse(
                    asked.acknowledges(),
                    asked.inbox(user),
                    asked.channels(),
                    asked.recover(),
                    sink::joined));
          }

          @Override
          public void refused(DeviceAdmission.Refusal refusal) {
            fail(
                request.response(),
                new ApiException(
                    refusal.status(), refusal.code(), refusal.message(), Optional.empty()));
          }
        });
  }

  // ---- POST /sse/ack

  private void ack(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (shuttingDown.getAsBoolean()) {
      response.putHeader("Connection", "close");
      fail(
          response,
          new ApiException(503, "shutting_down", "the server is shutting down", Optional.empty()));
      return;
    }
    String declared = request.getHeader("Content-Length");
    if (declared != null && length(declared) > MAX_ACK_BODY_BYTES) {
      response.putHeader("Connection", "close");
      fail(response, ApiException.tooLarge(MAX_ACK_BODY_BYTES));
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
            fail(
                response,
                ApiException.rateLimited(
                    "too many requests from this address; retry after " + retry + " s"));
          }
          request.resume();
        });
  }

  private void readAck(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    request.handler(
        chunk -> {
          if (tooLarge[0]) {
            return;
          }
          if (body.length() + chunk.length() > MAX_ACK_BODY_BYTES) {
            tooLarge[0] = true;
            response.putHeader("Connection", "close");
            fail(response, ApiException.tooLarge(MAX_ACK_BODY_BYTES));
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (tooLarge[0]) {
            return;
          }
          Optional<String> authorization = Optional.ofNullable(request.getHeader("Authorization"));
          String query = Objects.requireNonNullElse(request.query(), "");
          String remote = String.valueOf(request.remoteAddress());
          try {
            handlers.execute(
                () -> answer(response, () -> acknowledge(query, authorization, body, remote)));
          } catch (RejectedExecutionException e) {
            fail(
                response,
                new ApiException(
                    503, "shutting_down", "the server is shutting down", Optional.empty()));
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
              ? Optional.of(auth.verify(token.get()).userId())
              : Optional.empty();
    } catch (AuthException e) {
      throw ApiException.unauthorized(e.getMessage());
    }
    if (verified.isEmpty() && !config.development()) {
      throw ApiException.unauthorized(
          "a token is required: ?token=<JWT> or Authorization: Bearer <JWT>");
    }
    JsonNode request = parse(body);
    UUID id = notificationId(request);
    Optional<String> connection = text(request, "connection_id");
    String user = verified.orElseGet(() -> anonymousUser(connection, remote));
    if (!deliveries.ack(user, id)) {
      throw new ApiException(
          404,
          "not_awaiting_ack",
          "notification "
              + id
              + " is not waiting for an ACK from user "
              + user
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
          "no_such_connection",
          "no connection " + "\"" + wanted + "\"" + " is open on this server",
          Optional.empty());
    }
    log.debug("{}: acknowledging for {} of {} (development mode)", remote, wanted, user.get());
    return user.get();
  }

  private static JsonNode parse(Buffer body) {
    if (body.length() == 0) {
      throw ApiException.badRequest(
          "the request body is empty; send {\"notification_id\": \"<uuid>\"}");
    }
    try {
      return Json.mapper().readTree(body.getBytes());
    } catch (JacksonException e) {
      throw ApiException.badRequest(
          "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
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

  // ---- answers

  private void answer(HttpServerResponse response, java.util.function.Supplier<JsonNode> route) {
    try {
      send(response, 200, route.get());
    } catch (ApiException e) {
      fail(response, e);
    } catch (RuntimeException e) {
      log.error("{}: unexpected failure", ACK, e);
      fail(response, new ApiException(500, "internal_error", "internal error", Optional.empty()));
    }
  }

  private static void fail(HttpServerResponse response, ApiException e) {
    ObjectNode error = Json.nodes().objectNode();
    ObjectNode inner = error.putObject("error");
    inner.put("code", e.code()).put("message", e.getMessage());
    inner.set("details", e.details().orElse(Json.nodes().nullNode()));
    send(response, e.status(), error);
  }

  private static void send(HttpServerResponse response, int status, JsonNode body) {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JSON answer", e);
    }
    if (!response.ended() && !response.closed()) {
      response
          .setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(Buffer.buffer(bytes));
    }
  }

  /**
   * CORS as the HTTP API has it: the configured origins ({@code http.cors_origins}, {@code *} for
   * any), or any origin in development mode when none are configured.
   */
  private void allowOrigin(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return;
    }
    var allowed = config.http().corsOrigins();
    boolean ok =
        allowed.isEmpty()
            ? config.development()
            : allowed.contains("*") || allowed.contains(origin);
    if (ok) {
      request
          .response()
          .putHeader("Access-Control-Allow-Origin", origin)
          .putHeader("Vary", "Origin");
    }
  }

  private static long length(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
