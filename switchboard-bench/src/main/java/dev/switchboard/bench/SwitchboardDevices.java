package dev.switchboard.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Consumer;

/**
 * Devices of Switchboard: {@code /ws?token=<JWT>}, JSON-RPC 2.0 in text frames. A device subscribes
 * with {@code subscribe({"channels":[channel]})} (id 1) and is ready when the answer lists the
 * channel; notifications arrive as {@code
 * {"method":"notification","params":{...,"payload":<ours>}}}. Requests from the server ({@code
 * rpc.ping}) are answered; other notifications ({@code shutdown}) are only noted.
 */
final class SwitchboardDevices implements DeviceProtocol {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SUBSCRIBE_ID = 1;

  private final DeviceTokens tokens;

  SwitchboardDevices(DeviceTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public String path(String userId) {
    return "/ws?token=" + tokens.token(userId);
  }

  @Override
  public DeviceSession newSession(String userId, String channel) {
    return new Session(channel);
  }

  private static final class Session implements DeviceSession {
    private final String channel;

    Session(String channel) {
      this.channel = channel;
    }

    @Override
    public void onOpen(Consumer<String> send) {
      send.accept(
          "{\"jsonrpc\":\"2.0\",\"id\":"
              + SUBSCRIBE_ID
              + ",\"method\":\"subscribe\",\"params\":{\"channels\":[\""
              + channel
              + "\"]}}");
    }

    @Override
    public DeviceEvent onText(String text, Consumer<String> send) {
      // The hot path: a notification with our payload, found without building a tree.
      long seq = PushPayload.seq(text);
      long sent = PushPayload.sentNanos(text);
      if (seq != Long.MIN_VALUE && sent != Long.MIN_VALUE) {
        return new DeviceEvent.Delivery(seq, sent);
      }
      JsonNode message;
      try {
        message = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        return new DeviceEvent.Refused("not JSON: " + abbreviate(text));
      }
      JsonNode id = message.path("id");
      if (message.hasNonNull("method")) {
        if (!id.isMissingNode() && !id.isNull()) {
          send.accept(answer(id, message.get("method").asText()));
        }
        return DeviceEvent.CONTROL;
      }
      if (id.isInt() && id.intValue() == SUBSCRIBE_ID) {
        for (JsonNode subscribed : message.path("result").path("subscribed")) {
          if (channel.equals(subscribed.asText())) {
            return DeviceEvent.SUBSCRIBED;
          }
        }
        return new DeviceEvent.Refused("subscribe was not granted: " + abbreviate(text));
      }
      return DeviceEvent.CONTROL;
    }

    /**
     * {@code rpc.ping} gets {@code "pong"}; the server calls nothing else on a device, so the rest
     * is unknown.
     */
    private static String answer(JsonNode id, String method) {
      String body =
          method.equals("rpc.ping")
              ? "\"result\":\"pong\""
              : "\"error\":{\"code\":-32601,\"message\":\"Method not found\"}";
      return "{\"jsonrpc\":\"2.0\",\"id\":" + id + "," + body + "}";
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "... (" + s.length() + " chars)";
  }
}
