package dev.switchboard.server;

import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Registry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

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
 * <p>{@code POST /sse/ack} is {@link SseAcks}'s.
 */
final class SseEndpoint {

  static final String STREAM = "/sse";
  static final String ACK = "/sse/ack";

  private final ServerConfig config;
  private final DeviceAdmission admission;
  private final Sessions sessions;
  private final SseAcks acks;
  private final Clock clock;
  private final Cors cors;

  SseEndpoint(
      ServerConfig config,
      DeviceAdmission admission,
      Sessions sessions,
      SseAcks acks,
      Clock clock) {
    this.config = config;
    this.admission = admission;
    this.sessions = sessions;
    this.acks = acks;
    this.clock = clock;
    this.cors = new Cors(config);
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
    cors.allowOrigin(request);
    HttpMethod expected = stream ? HttpMethod.GET : HttpMethod.POST;
    if (request.method() != expected) {
      request.response().putHeader("Allow", expected.name()).putHeader("Connection", "close");
      JsonHttp.fail(
          request.response(),
          new ApiException(
              405,
              "METHOD_NOT_ALLOWED",
              path + " takes " + expected.name() + ", not " + request.method().name(),
              Optional.empty()));
      return true;
    }
    if (stream) {
      open(request);
    } else {
      acks.ack(request);
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
            Optional.empty(),
            context),
        () -> SseRequest.read(query, request.getHeader("Last-Event-ID"), maxChannels),
        new DeviceAdmission.Listener<SseRequest>() {
          @Override
          public void admitted(
              Identity identity, Optional<Registry.Reservation> place, SseRequest asked) {
            if (request.response().closed()) {
              place.ifPresent(Registry.Reservation::close); // it left while being admitted
              return;
            }
            String user = Session.userKey(identity);
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
            JsonHttp.fail(
                request.response(),
                new ApiException(
                    refusal.status(), refusal.code(), refusal.message(), Optional.empty()));
          }
        });
  }

  // ---- answers
}
