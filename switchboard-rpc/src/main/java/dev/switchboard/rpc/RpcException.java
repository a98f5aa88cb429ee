package dev.switchboard.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import java.util.Objects;

/**
 * A JSON-RPC error: thrown by a handler to answer with this error, and raised to a caller whose
 * call the peer answered with an error.
 */
public class RpcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ErrorObject error;

  public RpcException(ErrorObject error) {
    super(Objects.requireNonNull(error, "error").message());
    this.error = error;
  }

  public RpcException(int code, String message) {
    this(ErrorObject.of(code, message));
  }

  public RpcException(int code, String message, JsonNode data) {
    this(ErrorObject.of(code, message, data));
  }

  public ErrorObject error() {
    return error;
  }

  public int code() {
    return error.code();
  }

  @Override
  public String toString() {
    return "RpcException{code=" + error.code() + ", message=" + error.message() + "}";
  }
}
