package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A device as a test sees it: a real WebSocket connection to {@code /ws} (the JDK's client) that
 * records every message the server sends, in arrival order, and how the connection closed. Calls
 * are written as JSON-RPC text by hand, so a test sees the server's exact answers and error codes.
 * It can also stop reading ({@link #pause}), as a phone whose app is frozen would.
 *
 * <p>The JDK delivers one message at a time, so the recorded order is the wire order.
 */
final class PushDevice implements AutoCloseable {

  /** How the server closed the connection, and how many messages had arrived by then. */
  record Closed(int code, String reason, int messagesBefore) {}

  private final String name;
  private final AtomicLong ids = new AtomicLong();

  /**
   * Each device has its own client (and so its own selector thread): a paused device must not hold
   * up the others' reads, as one phone's frozen app does not stop another phone.
   */
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Set once the upgrade succeeded. */
  private volatile WebSocket socket;

  /** Completed by the listener, under {@code this}, with the count of messages before the close. */
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();

  /** Everything below is guarded by {@code this}: the listener appends, tests read and wait. */
  private final List<JsonNode> messages = new ArrayList<>();

  /** The first notification {@link #takeEvents} has not returned yet. */
  private int taken;

  private boolean paused;

  /** True when a message arrived while paused: one more must be requested on resume. */
  private boolean owed;

  private PushDevice(String name) {
    this.name = name;
  }

  /**
   * Connects to {@code uri} with the handshake {@code headers}; fails the test when the upgrade is
   * refused.
   */
  static PushDevice connect(String name, URI uri, Map<String, String> headers) {
    return connect(name, uri, headers, List.of());
  }

  /**
   * Connects to {@code uri} with the handshake {@code headers}, offering {@code subprotocols};
   * fails the test when the upgrade is refused.
   */
  static PushDevice connect(
      String name, URI uri, Map<String, String> headers, List<String> subprotocols) {
    PushDevice device = new PushDevice(name);
    try {
      device.socket =
          device.open(uri, headers, subprotocols).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return device;
    } catch (Exception e) {
      device.http.shutdownNow();
      throw new AssertionError(name + " could not connect to " + uri + ": " + e, e);
    }
  }

  private CompletableFuture<WebSocket> open(
      URI uri, Map<String, String> headers, List<String> subprotocols) {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(builder::header);
    if (!subprotocols.isEmpty()) {
      builder.subprotocols(
          subprotocols.getFirst(),
          subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    return builder.buildAsync(uri, new Listener());
  }

  /** Sends {@code text} as one text message, as it is. */
  void sendText(String text) {
    socket.sendText(text, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Sends {@code bytes} as one binary message. */
  void sendBinary(byte[] bytes) {
    socket
        .sendBinary(java.nio.ByteBuffer.wrap(bytes), true)
        .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .join();
  }

  /** The subprotocol the server's answer selected; empty when none. */
  String subprotocol() {
    return socket.getSubprotocol();
  }

  /** Calls {@code method} and returns the whole answer: {@code result} or {@code error}. */
  JsonNode call(String method, JsonNode params) {
    String id = name + "-" + ids.incrementAndGet();
    ObjectNode request =
        Json.nodes().objectNode().put("jsonrpc", "2.0").put("method", method).put("id", id);
    request.set("params", params);
    socket
        .sendText(request.toString(), true)
        .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .join();
    return await(m -> m.path("id").asText().equals(id), "the answer to " + method + " " + id);
  }

  /**
   * Calls {@code method} with {@code singleQuotedParams} (JSON with single quotes, as {@link
   * PushHttp#json} reads it) and returns the whole answer: {@code result} or {@code error}.
   */
  JsonNode call(String method, String singleQuotedParams) {
    return call(method, PushHttp.parse(PushHttp.json(singleQuotedParams)));
  }

  /** {@code ack {notification_id}}: the whole answer. */
  JsonNode ack(String notificationId) {
    return call("ack", Json.nodes().objectNode().put("notification_id", notificationId));
  }

  /** Calls {@code ping}: once answered, the server has registered this connection. */
  void awaitReady() {
    JsonNode answer = call("ping", Json.nodes().arrayNode());
    if (!"pong".equals(answer.path("result").asText())) {
      throw new AssertionError(name + ": ping answered " + answer);
    }
  }

  /**
   * {@code subscribe {channels}}; returns the {@code subscribed} list, failing the test on an
   * error.
   */
  List<String> subscribe(String... channels) {
    JsonNode answer = call("subscribe", channels(channels));
    if (!answer.has("result")) {
      throw new AssertionError(name + ": subscribe " + List.of(channels) + " failed: " + answer);
    }
    return texts(answer.get("result").get("subscribed"));
  }

  /**
   * {@code subscribe {channels: [channel], recover: {channel: {offset, epoch}}}}: the whole answer.
   */
  JsonNode recover(String channel, long offset, String epoch) {
    ObjectNode params = channels(channel);
    params.putObject("recover").putObject(channel).put("offset", offset).put("epoch", epoch);
    return call("subscribe", params);
  }

  static ObjectNode channels(String... names) {
    ObjectNode params = Json.nodes().objectNode();
    List.of(names).forEach(params.putArray("channels")::add);
    return params;
  }

  /** The params of the next {@code notification} whose {@code event_type} is {@code eventType}. */
  JsonNode awaitEvent(String eventType) {
    JsonNode message =
        await(
            m -> isNotification(m) && m.get("params").path("event_type").asText().equals(eventType),
            "a notification " + eventType);
    return message.get("params");
  }

  /**
   * Waits for the first message {@code matching}; after {@link PushFixture#WAIT}, fails listing
   * what came.
   */
  synchronized JsonNode await(Predicate<JsonNode> matching, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (JsonNode message : messages) {
        if (matching.test(message)) {
          return message;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || closed.isDone()) {
        throw new AssertionError(
            name
                + ": no "
                + what
                + " within "
                + WAIT.toMillis()
                + " ms"
                + (closed.isDone() ? " (closed: " + closed.join() + ")" : "")
                + "; received "
                + summary());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** What arrived, briefly: the last 20 messages by method and event type, or id. */
  private String summary() {
    List<String> brief =
        messages.stream()
            .map(
                m ->
                    m.has("method")
                        ? m.get("method").asText()
                            + " "
                            + m.path("params").path("event_type").asText("")
                        : "answer " + m.path("id").asText() + (m.has("error") ? " error" : ""))
            .toList();
    return brief.size()
        + " messages, last: "
        + brief.subList(Math.max(0, brief.size() - 20), brief.size());
  }

  /** Every message received so far, in order. */
  synchronized List<JsonNode> messages() {
    return List.copyOf(messages);
  }

  /** The params of every {@code notification} received so far, in order. */
  synchronized List<JsonNode> notifications() {
    return messages.stream().filter(PushDevice::isNotification).map(m -> m.get("params")).toList();
  }

  /**
   * The event types of the notifications received since the last call, leaving out {@link
   * PushFixture#settle}'s markers. Call it after {@code settle}: then nothing sent earlier can
   * still be on its way.
   */
  synchronized List<String> takeEvents() {
    List<JsonNode> all = notifications();
    List<String> events =
        all.subList(taken, all.size()).stream()
            .map(p -> p.get("event_type").asText())
            .filter(e -> !e.startsWith(PushFixture.MARKER))
            .toList();
    taken = all.size();
    return events;
  }

  /**
   * Stops reading: what the server sends piles up in the socket buffers, then in the server's
   * outbound queue.
   */
  synchronized void pause() {
    paused = true;
  }

  /** Reads again. */
  void resume() {
    boolean request;
    synchronized (this) {
      paused = false;
      request = owed;
      owed = false;
    }
    if (request) {
      socket.request(1);
    }
  }

  /**
   * How the server closed the connection (1006 when it broke); fails the test when it stays open.
   */
  Closed awaitClosed(Duration timeout) {
    return closed.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  boolean isOpen() {
    return !closed.isDone();
  }

  String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Closes normally (1000), waiting a moment for the server's answer. */
  @Override
  public void close() {
    if (!closed.isDone()) {
      resume();
      socket
          .sendClose(1000, "")
          .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionally(e -> null)
          .join();
      closed.copy().completeOnTimeout(null, WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }
    socket.abort();
    http.shutdownNow();
  }

  static boolean isNotification(JsonNode message) {
    return message.path("method").asText().equals("notification") && !message.has("id");
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return out;
  }

  private final class Listener implements WebSocket.Listener {
    /** The listener's own: the JDK calls it for one message at a time. */
    private final StringBuilder text = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonNode message = PushHttp.parse(text.toString());
        text.setLength(0);
        synchronized (PushDevice.this) {
          messages.add(message);
          PushDevice.this.notifyAll();
          if (paused) {
            owed = true;
            return null;
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      ended(statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ended(1006, String.valueOf(error));
    }

    private void ended(int code, String reason) {
      synchronized (PushDevice.this) {
        closed.complete(new Closed(code, reason, messages.size()));
        PushDevice.this.notifyAll();
      }
    }
  }
}
