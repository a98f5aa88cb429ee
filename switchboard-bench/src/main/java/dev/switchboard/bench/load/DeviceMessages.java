package dev.switchboard.bench.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the devices of every transport read and write: the params of a notification (its {@code id}
 * and its payload's {@code sent_nanos}), the JSON-RPC 2.0 messages of WebSocket and WebTransport,
 * and the {@link Dialog} both hold with the server over them. Pure; thread-safe.
 */
final class DeviceMessages {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The id of the one request a device makes: {@code subscribe} (or {@code ping}, see below). */
  static final int READY_ID = 1;

  /** The id of {@code unsubscribe}, sent when a device leaves (see {@link Dialog#leave}). */
  static final int LEAVE_ID = 2;

  private DeviceMessages() {}

  /**
   * A notification as a device read it.
   *
   * @param id its {@code id} (the API's {@code notification_id})
   * @param sentNanos its payload's {@code sent_nanos}; -1 when absent
   */
  record Delivery(String id, long sentNanos) {}

  /** One JSON-RPC message from the server. */
  sealed interface Message permits Notified, Answer, Request, Other {}

  /** {@code notification}: a delivery. */
  record Notified(Delivery delivery) implements Message {}

  /**
   * The answer to the device's request {@code id}.
   *
   * @param error the error's message; empty for a result
   */
  record Answer(long id, Optional<String> error) implements Message {}

  /**
   * A request of the server's (it has an {@code id}).
   *
   * @param reply the answer to send back
   */
  record Request(String reply) implements Message {}

  /** Another notification of the server's ({@code shutdown}, ...), or an answer to no request. */
  record Other() implements Message {}

  private static final Other OTHER = new Other();

  /** {@code subscribe} to {@code channels}, with id {@link #READY_ID}. */
  static String subscribe(List<String> channels) {
    return withChannels("subscribe", READY_ID, channels);
  }

  /** {@code unsubscribe} from {@code channels}, with id {@link #LEAVE_ID}. */
  static String unsubscribe(List<String> channels) {
    return withChannels("unsubscribe", LEAVE_ID, channels);
  }

  private static String withChannels(String method, int id, List<String> channels) {
    ObjectNode message = request(method, id);
    ArrayNode names = message.putObject("params").putArray("channels");
    channels.forEach(names::add);
    return message.toString();
  }

  /**
   * The push server's {@code ping}, with id {@link #READY_ID}: its answer says the device is in.
   */
  static String ping() {
    return request("ping", READY_ID).toString();
  }

  private static ObjectNode request(String method, int id) {
    return JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
  }

  /**
   * Reads one JSON-RPC message.
   *
   * @throws IllegalArgumentException when it is not a JSON object
   */
  static Message read(String text) {
    JsonNode message = tree(text);
    JsonNode method = message.get("method");
    JsonNode id = message.get("id");
    boolean hasId = id != null && !id.isNull();
    if (method != null && method.isTextual()) {
      if (hasId) {
        return new Request(reply(id, method.asText()));
      }
      if (method.asText().equals("notification")) {
        return new Notified(delivery(message.path("params")));
      }
      return OTHER;
    }
    if (hasId && id.canConvertToLong()) {
      JsonNode error = message.get("error");
      if (error != null && !error.isNull()) {
        return new Answer(
            id.asLong(),
            Optional.of(
                error.path("code").asText("?")
                    + " "
                    + error.path("message").asText(abbreviate(error.toString()))));
      }
      return new Answer(id.asLong(), Optional.empty());
    }
    return OTHER;
  }

  /**
   * A notification's params as SSE's {@code data} carries them.
   *
   * @throws IllegalArgumentException when they are not a JSON object
   */
  static Delivery delivery(String params) {
    return delivery(tree(params));
  }

  /** A notification's params: its {@code id} and its payload's {@code sent_nanos} (or -1). */
  static Delivery delivery(JsonNode params) {
    JsonNode sent = params.path("payload").path("sent_nanos");
    return new Delivery(params.path("id").asText(""), sent.canConvertToLong() ? sent.asLong() : -1);
  }

  /** {@code "pong"} for {@code rpc.ping}; "Method not found" (-32601) for anything else. */
  static String reply(JsonNode id, String method) {
    ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", id);
    if (method.equals("rpc.ping")) {
      reply.put("result", "pong");
    } else {
      reply.putObject("error").put("code", -32601).put("message", "Method not found");
    }
    return reply.toString();
  }

  private static JsonNode tree(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + abbreviate(text), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
    }
    return node;
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "... (" + s.length() + " chars)";
  }

  /**
   * A device's JSON-RPC dialog with the server, over WebSocket or WebTransport: {@code subscribe}
   * when it has channels, then notifications in and the server's requests answered. Not
   * thread-safe: a dialog belongs to its connection's I/O thread.
   */
  static final class Dialog {

    /** What the dialog tells its device. */
    interface Events {
      /** The device is in: subscribed (or, without channels, {@link #open} said so). */
      void ready();

      /** The server refused the device before it was ready, or spoke something else. */
      void refused(String why);
    }

    private final DeviceListener listener;
    private final Consumer<String> send;
    private final Events events;
    private boolean ready;
    private volatile CompletableFuture<Void> left;

    Dialog(DeviceListener listener, Consumer<String> send, Events events) {
      this.listener = listener;
      this.send = send;
      this.events = events;
    }

    /**
     * The connection is open: subscribes to {@code channels}; without any, sends {@code ping} when
     * {@code pingWithoutChannels} (a WebTransport stream reaches the server only with its first
     * bytes), else is ready at once.
     */
    void open(List<String> channels, boolean pingWithoutChannels) {
      if (!channels.isEmpty()) {
        send.accept(subscribe(channels));
      } else if (pingWithoutChannels) {
        send.accept(ping());
      } else {
        becomeReady();
      }
    }

    /**
     * The device leaves: {@code unsubscribe} from {@code channels}; the future completes when the
     * server answered (from then on no channel send counts this device), at once without channels.
     * The send may come from any thread (both transports' writes are thread-safe).
     */
    CompletableFuture<Void> leave(List<String> channels) {
      if (channels.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> answered = new CompletableFuture<>();
      left = answered;
      send.accept(unsubscribe(channels));
      return answered;
    }

    /** One message from the server, read at {@code receivedNanos} ({@link System#nanoTime()}). */
    void onText(String text, long receivedNanos) {
      Message message;
      try {
        message = read(text);
      } catch (IllegalArgumentException e) {
        if (!ready) {
          events.refused(e.getMessage());
        }
        return; // a ready device ignores what it cannot read
      }
      switch (message) {
        case Notified n ->
            listener.delivered(n.delivery().id(), n.delivery().sentNanos(), receivedNanos);
        case Request r -> send.accept(r.reply());
        case Answer a when a.id() == READY_ID && !ready -> {
          if (a.error().isPresent()) {
            events.refused("the server refused: " + a.error().get());
          } else {
            becomeReady();
          }
        }
        case Answer a when a.id() == LEAVE_ID && left != null -> left.complete(null);
        case Answer a -> {}
        case Other o -> {}
      }
    }

    private void becomeReady() {
      ready = true;
      events.ready();
    }
  }
}
