package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code error} member of a response.
 *
 * <p>Codes -32768..-32000 are reserved by JSON-RPC 2.0. The standard ones are the {@code
 * PARSE_ERROR}..{@code INTERNAL_ERROR} constants; Switchboard's own live in -32000..-32099 and are
 * listed here too (see docs/protocol.md). Applications choose codes outside -32768..-32000.
 */
public record ErrorObject(int code, String message, Optional<JsonNode> data) {

  /** Invalid JSON (or MessagePack) was received. Used for nothing else. */
  public static final int PARSE_ERROR = -32700;

  /** The JSON sent is not a valid Request object. */
  public static final int INVALID_REQUEST = -32600;

  /** The method does not exist or is not available. */
  public static final int METHOD_NOT_FOUND = -32601;

  /** Invalid method parameters. */
  public static final int INVALID_PARAMS = -32602;

  /** An internal JSON-RPC error (a fault of Switchboard's, not of the handler). */
  public static final int INTERNAL_ERROR = -32603;

  /** The handler failed; the message is the handler's. */
  public static final int APPLICATION_ERROR = -32000;

  /** The peer has too many calls in flight on this connection; retry later. */
  public static final int BUSY = -32001;

  /** The call's deadline ({@code timeout_ms}) passed before its handler finished or started. */
  public static final int DEADLINE_EXCEEDED = -32002;

  /** The caller cancelled the call with {@code rpc.cancel}. */
  public static final int CANCELLED = -32003;

  /** A request with this id is still in flight on this connection. */
  public static final int DUPLICATE_ID = -32004;

  /** The peer is shutting down and takes no new calls. */
  public static final int SHUTTING_DOWN = -32005;

  /**
   * A server limit would be passed (for example subscriptions per connection); nothing was changed.
   */
  public static final int LIMIT_EXCEEDED = -32006;

  /**
   * The server is shedding load: too many calls are running across all connections. Nothing was
   * run; {@code data.retry_after_ms} says when to try again.
   */
  public static final int OVERLOADED = -32007;

  /**
   * The peer sent more messages than its connection's rate allows. Nothing was run; {@code
   * data.retry_after_ms} says when the next message would be accepted. Going on regardless closes
   * the connection with 1008.
   */
  public static final int RATE_LIMITED = -32008;

  public ErrorObject {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(data, "data");
  }

  public static ErrorObject of(int code, String message) {
    return new ErrorObject(code, message, Optional.empty());
  }

  public static ErrorObject of(int code, String message, JsonNode data) {
    return new ErrorObject(code, message, Optional.ofNullable(data));
  }
}
