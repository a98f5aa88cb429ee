package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Outgoing;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.rpc.TransportListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ara device's session ({@link AraCodec}): each message it sends becomes one JSON-RPC request of
 * the device methods ({@code Subscribe} is {@code subscribe}, {@code Unsubscribe} {@code
 * unsubscribe}, {@code Ping} {@code ping}, {@code Ack} {@code ack}), and each answer becomes the
 * Ara message that answers it ({@code subscribed}, {@code unsubscribed}, {@code pong}, {@code
 * acked}, or an {@code error} with Ara's code). Notifications are sent in Ara's flat shape,
 * rendered once per notification for every Ara device ({@link Outgoing#rendered}); the {@code
 * shutdown} notice becomes Ara's; a {@code heartbeat} goes out at every keepalive ping.
 *
 * <p>A message that is not a request (not JSON, of no known type, binary) still travels as a
 * request, a {@code ping} whose answer is replaced by the {@code error}: so the connection's
 * message rate ({@code websocket.messages_per_second}) and the order of answers hold for Ara
 * devices as for JSON-RPC ones, and the connection stays up.
 *
 * <p>Thread-safe: the requests in flight are in a concurrent map, bounded by the RPC peer's limit
 * of calls in flight (each request is answered once, or the connection closes).
 */
final class AraDialect implements Dialect {

  private static final Logger log = LoggerFactory.getLogger(AraDialect.class);

  /** Names Ara's form of a notification in {@link Outgoing#rendered}. */
  private static final Object NOTIFICATION_FORM = DeviceProtocol.ARA;

  private final AtomicLong ids = new AtomicLong();

  /** What each request in flight was, by its JSON-RPC id. */
  private final Map<Long, AraCodec.Decoded> asked = new ConcurrentHashMap<>();

  @Override
  public void receive(Encoding encoding, byte[] message, TransportListener rpc) {
    AraCodec.Decoded decoded = AraCodec.decode(encoding, message);
    long id = ids.incrementAndGet();
    asked.put(id, decoded);
    rpc.receive(Encoding.JSON, request(id, decoded));
  }

  /** The JSON-RPC request that carries {@code decoded}. */
  static byte[] request(long id, AraCodec.Decoded decoded) {
    ObjectNode request = Json.nodes().objectNode().put("jsonrpc", "2.0").put("id", id);
    switch (decoded) {
      case AraCodec.Invalid invalid -> request.put("method", "ping");
      case AraCodec.Valid valid -> {
        switch (valid.request()) {
          case AraCodec.Subscribe s -> channels(request.put("method", "subscribe"), s.channels());
          case AraCodec.Unsubscribe u ->
              channels(request.put("method", "unsubscribe"), u.channels());
          case AraCodec.Ping p -> request.put("method", "ping");
          case AraCodec.Ack a ->
              request
                  .put("method", "ack")
                  .putObject("params")
                  .put("notification_id", a.notificationId().toString());
        }
      }
    }
    return request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void channels(ObjectNode request, List<String> channels) {
    ArrayNode names = request.putObject("params").putArray("channels");
    channels.forEach(names::add);
  }

  @Override
  public void write(Outgoing message, Runnable done, SessionSink sink) {
    Optional<Outgoing> ara;
    try {
      ara = translate(message);
    } catch (RuntimeException e) {
      log.error("{}: cannot write {} in Ara's protocol", sink.remote(), message, e);
      ara = Optional.empty();
    }
    if (ara.isPresent()) {
      sink.write(ara.get(), done);
    } else {
      done.run();
    }
  }

  /** {@code message} in Ara's protocol; empty when Ara has no such message. */
  Optional<Outgoing> translate(Outgoing message) {
    if (message.priority().isPresent()) {
      return Optional.of(message.rendered(NOTIFICATION_FORM, AraCodec::notification));
    }
    if (message.bytes() == AraCodec.heartbeat()) {
      return Optional.of(message); // ours, already in Ara's protocol
    }
    if (message.encoding() != Encoding.JSON) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(message.bytes());
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    Optional<byte[]> ara =
        node.has("id") && !node.has("method") ? answer(node) : serverNotification(node);
    if (ara.isEmpty()) {
      log.debug("{} has no form in Ara's protocol; not sent", message);
    }
    return ara.map(bytes -> Outgoing.rpc(Encoding.JSON, bytes));
  }

  /** The Ara answer to one of our requests. */
  private Optional<byte[]> answer(JsonNode response) {
    JsonNode id = response.get("id");
    if (!id.canConvertToLong()) {
      return Optional.empty();
    }
    AraCodec.Decoded decoded = asked.remove(id.asLong());
    if (decoded == null) {
      return Optional.empty();
    }
    JsonNode error = response.get("error");
    if (error != null && error.path("code").asInt() == ErrorObject.RATE_LIMITED) {
      return Optional.of(
          AraCodec.error(AraCodec.RATE_LIMIT_EXCEEDED, error.path("message").asText()));
    }
    return Optional.of(
        switch (decoded) {
          case AraCodec.Invalid invalid -> AraCodec.error(invalid.code(), invalid.message());
          case AraCodec.Valid valid when error != null ->
              AraCodec.error(
                  code(valid.request(), error.path("code").asInt()),
                  error.path("message").asText());
          case AraCodec.Valid valid -> success(valid.request(), response.path("result"));
        });
  }

  private static byte[] success(AraCodec.Request request, JsonNode result) {
    return switch (request) {
      case AraCodec.Subscribe s -> AraCodec.subscribed(texts(result.path("subscribed")));
      case AraCodec.Unsubscribe u -> AraCodec.unsubscribed(texts(result.path("unsubscribed")));
      case AraCodec.Ping p -> AraCodec.pong();
      case AraCodec.Ack a -> AraCodec.acked(a.notificationId());
    };
  }

  /** Ara's error code for a device method's JSON-RPC error {@code code}. */
  private static String code(AraCodec.Request request, int code) {
    if (code == ErrorObject.OVERLOADED
        || code == ErrorObject.BUSY
        || code == ErrorObject.SHUTTING_DOWN) {
      return AraCodec.SERVICE_UNAVAILABLE;
    }
    if (code == ErrorObject.INTERNAL_ERROR) {
      return AraCodec.INTERNAL_ERROR;
    }
    return switch (request) {
      case AraCodec.Subscribe s -> AraCodec.SUBSCRIPTION_ERROR;
      case AraCodec.Unsubscribe u -> AraCodec.SUBSCRIPTION_ERROR;
      case AraCodec.Ack a ->
          code == DeviceMethods.NOT_AWAITING_ACK ? AraCodec.INVALID_ACK : AraCodec.INVALID_MESSAGE;
      case AraCodec.Ping p -> AraCodec.INTERNAL_ERROR;
    };
  }

  /** A JSON-RPC notification of the server's: Ara has {@code shutdown}. */
  private static Optional<byte[]> serverNotification(JsonNode node) {
    if (!"shutdown".equals(node.path("method").asText())) {
      return Optional.empty();
    }
    JsonNode params = node.path("params");
    return Optional.of(
        AraCodec.shutdown(
            params.path("reason").asText("server shutting down"),
            params.path("reconnect_after_seconds").asLong(0)));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return out;
  }

  @Override
  public Optional<Outgoing> heartbeat() {
    return Optional.of(Outgoing.rpc(Encoding.JSON, AraCodec.heartbeat()));
  }
}
