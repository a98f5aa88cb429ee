package dev.switchboard.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test's server on a free loopback port, its SSE streams and its HTTP client; {@link #close}
 * closes them all.
 *
 * <p>A stream {@link #stream opened} here is ready: its {@code connected} event came first, and the
 * event that only carries an id (sent once the join is done) has arrived, so the server follows its
 * channels and replayed what it was owed. {@link #settle} proves absence without sleeping, as
 * {@link PushFixture#settle} does: it broadcasts a marker and waits until every open stream has it;
 * whatever was sent to a stream before has arrived by then.
 */
final class SseFixture implements AutoCloseable {

  final SwitchboardServer server;
  final PushHttp http;
  private final List<SseStream> streams = new CopyOnWriteArrayList<>();
  private final AtomicInteger markers = new AtomicInteger();

  private SseFixture(ServerConfig config) {
    this.server = SwitchboardServer.start(config);
    this.http =
        new PushHttp(
            server.port(),
            config.apiKey().isPresent() ? Optional.of(PushFixture.API_KEY) : Optional.empty());
  }

  static SseFixture start(ServerConfig.Builder config) {
    return new SseFixture(config.build());
  }

  /** {@code /sse?query}. */
  URI uri(String query) {
    return URI.create(
        "http://127.0.0.1:" + server.port() + "/sse" + (query.isEmpty() ? "" : "?" + query));
  }

  /** A ready stream of {@code user}, its token in {@code ?token=}, with {@code query} added. */
  SseStream stream(String user, String query) {
    return stream(user, query, Map.of());
  }

  /** A ready stream of {@code user} with {@code query} and {@code headers}. */
  SseStream stream(String user, String query, Map<String, String> headers) {
    String token = "token=" + PushTokens.valid(user);
    return open(
        user + "/" + streams.size(), uri(query.isEmpty() ? token : token + "&" + query), headers);
  }

  /** A ready stream to {@code uri} with {@code headers}; fails the test when refused. */
  SseStream open(String name, URI uri, Map<String, String> headers) {
    Object answer = SseStream.request(name, uri, headers);
    if (answer instanceof SseStream.Refused refused) {
      throw new AssertionError(name + ": GET " + uri + " refused: " + refused);
    }
    SseStream stream = (SseStream) answer;
    streams.add(stream);
    SseStream.Event first = stream.next();
    if (!first.is("connected")) {
      throw new AssertionError(name + ": the first event is " + first + ", not connected");
    }
    stream.await(SseStream.Event::idOnly, "the end of the join (an event with only an id)");
    return stream;
  }

  /** How {@code GET /sse?query} with {@code headers} is refused; fails the test when it is not. */
  SseStream.Refused refusal(String query, Map<String, String> headers) {
    Object answer = SseStream.request("refused", uri(query), headers);
    if (answer instanceof SseStream stream) {
      streams.add(stream);
      throw new AssertionError("GET /sse?" + query + " was accepted");
    }
    return (SseStream.Refused) answer;
  }

  /** {@code POST /api/v1/notifications/<action>} expecting 200. */
  JsonNode notify(String action, String singleQuotedJson) {
    return http.ok("/api/v1/notifications/" + action, PushHttp.json(singleQuotedJson));
  }

  /** Sends {@code eventType} to {@code user}; returns the notification's id. */
  String send(String user, String eventType) {
    return notify(
            "send",
            "{'target_user_id':'" + user + "','event_type':'" + eventType + "','payload':{}}")
        .get("notification_id")
        .asText();
  }

  /** Publishes {@code eventType} to {@code channel}. */
  void publish(String channel, String eventType) {
    notify(
        "channel", "{'channel':'" + channel + "','event_type':'" + eventType + "','payload':{}}");
  }

  /** Broadcasts a marker and waits until every open stream has it (see the class comment). */
  void settle() {
    String marker = PushFixture.MARKER + markers.incrementAndGet();
    notify("broadcast", "{'event_type':'" + marker + "','payload':null}");
    streams.stream().filter(SseStream::isOpen).forEach(s -> s.awaitNotification(marker));
  }

  /** {@code POST /sse/ack} with {@code body} and {@code headers} (name, value, ...). */
  PushHttp.Response ack(String query, String singleQuotedJson, String... headers) {
    return http.post(
        SseEndpoint.ACK + (query.isEmpty() ? "" : "?" + query),
        PushHttp.json(singleQuotedJson),
        headers);
  }

  /** {@code POST /sse/ack {notification_id}} with {@code user}'s token as a bearer. */
  PushHttp.Response ackAs(String user, String notificationId) {
    return ack(
        "",
        "{'notification_id':'" + notificationId + "'}",
        "Authorization",
        "Bearer " + PushTokens.valid(user));
  }

  JsonNode stats() {
    return http.ok("/stats");
  }

  /** Waits until the registry counts {@code expected} connections (a close is asynchronous). */
  void awaitConnections(int expected) {
    await("connections to become " + expected)
        .atMost(PushFixture.WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> server.registry().connectionCount() == expected);
  }

  /** Closes {@code stream} and waits until the server has let it go. */
  void disconnect(SseStream stream) {
    int before = server.registry().connectionCount();
    stream.close();
    streams.remove(stream);
    awaitConnections(before - 1);
  }

  @Override
  public void close() {
    try {
      streams.forEach(SseStream::close);
    } finally {
      server.close();
    }
  }
}
