package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Applies the JSON-RPC 2.0 rules to a parsed tree. An object with a {@code method} member is a
 * request (or notification); one with {@code result} or {@code error} and no {@code method} is a
 * response; anything else is an Invalid Request.
 */
final class MessageReader {

  static final String TIMEOUT_MEMBER = "timeout_ms";
  static final String TRACEPARENT_MEMBER = "traceparent";
  static final String TRACESTATE_MEMBER = "tracestate";

  private MessageReader() {}

  static Decoded read(JsonNode tree) {
    if (tree instanceof ArrayNode array) {
      if (array.isEmpty()) {
        return new Decoded.Single(invalid(Id.nullId(), "empty batch"));
      }
      List<Entry> entries = new ArrayList<>(array.size());
      for (JsonNode element : array) {
        entries.add(readEntry(element));
      }
      return new Decoded.Batch(entries);
    }
    return new Decoded.Single(readEntry(tree));
  }

  private static Entry readEntry(JsonNode node) {
    if (!(node instanceof ObjectNode object)) {
      return invalid(
          Id.nullId(), "expected an object, got " + node.getNodeType().name().toLowerCase());
    }
    if (object.has("method")) {
      return readRequest(object);
    }
    if (object.has("result") || object.has("error")) {
      return readResponse(object);
    }
    Optional<Id> id = readId(object.get("id"));
    return invalid(id.orElse(Id.nullId()), "an object with neither method nor result nor error");
  }

  private static Entry readRequest(ObjectNode object) {
    JsonNode idNode = object.get("id");
    Optional<Id> id = idNode == null ? Optional.empty() : readId(idNode);
    Id replyId = id.orElse(Id.nullId());
    if (idNode != null && id.isEmpty()) {
      return invalid(Id.nullId(), "id must be a string, an integer or null");
    }
    if (!isVersion(object.get("jsonrpc"))) {
      return invalid(replyId, "jsonrpc must be \"2.0\"");
    }
    JsonNode method = object.get("method");
    if (!method.isTextual()) {
      return invalid(replyId, "method must be a string");
    }
    JsonNode paramsNode = object.get("params");
    Params params;
    if (paramsNode == null) {
      params = Params.none();
    } else if (paramsNode instanceof ArrayNode array) {
      params = new Params.ByPosition(array);
    } else if (paramsNode instanceof ObjectNode named) {
      params = new Params.ByName(named);
    } else {
      return invalid(replyId, "params must be an array or an object");
    }
    Optional<TraceContext> traceContext = readTraceContext(object);
    if (idNode == null) {
      return new Notification(method.textValue(), params, traceContext);
    }
    JsonNode timeout = object.get(TIMEOUT_MEMBER);
    OptionalLong timeoutMillis = OptionalLong.empty();
    if (timeout != null) {
      if (!timeout.canConvertToExactIntegral()
          || !timeout.canConvertToLong()
          || timeout.longValue() < 0) {
        return invalid(replyId, TIMEOUT_MEMBER + " must be a non-negative integer");
      }
      timeoutMillis = OptionalLong.of(timeout.longValue());
    }
    return new Request(replyId, method.textValue(), params, timeoutMillis, traceContext);
  }

  /**
   * The trace context members, as W3C says to treat headers: a traceparent that is missing, not a
   * string or not well-formed is ignored (the callee starts a new trace), never an error; a bad
   * tracestate is dropped alone.
   */
  private static Optional<TraceContext> readTraceContext(ObjectNode object) {
    JsonNode traceparent = object.get(TRACEPARENT_MEMBER);
    if (traceparent == null || !traceparent.isTextual()) {
      return Optional.empty();
    }
    JsonNode tracestate = object.get(TRACESTATE_MEMBER);
    return TraceContext.parse(
        traceparent.textValue(),
        tracestate != null && tracestate.isTextual()
            ? Optional.of(tracestate.textValue())
            : Optional.empty());
  }

  private static Entry readResponse(ObjectNode object) {
    if (!isVersion(object.get("jsonrpc"))) {
      return new Discarded("response without jsonrpc \"2.0\"");
    }
    Optional<Id> id = readId(object.get("id"));
    if (id.isEmpty()) {
      return new Discarded("response without a valid id");
    }
    boolean hasResult = object.has("result");
    boolean hasError = object.has("error");
    if (hasResult == hasError) {
      return new Discarded("response with both result and error");
    }
    if (hasResult) {
      return Response.success(id.get(), object.get("result"));
    }
    JsonNode error = object.get("error");
    JsonNode code = error.get("code");
    JsonNode message = error.get("message");
    if (!error.isObject()
        || code == null
        || !code.canConvertToExactIntegral()
        || !code.canConvertToInt()
        || message == null
        || !message.isTextual()) {
      return new Discarded("error must be an object with an integer code and a string message");
    }
    return Response.failure(
        id.get(),
        new ErrorObject(
            code.intValue(), message.textValue(), Optional.ofNullable(error.get("data"))));
  }

  /**
   * An id node as an {@link Id}; empty when the member is missing or not a string, integer or null.
   */
  private static Optional<Id> readId(JsonNode id) {
    if (id == null) {
      return Optional.empty();
    }
    if (id.isNull()) {
      return Optional.of(Id.nullId());
    }
    if (id.isTextual()) {
      return Optional.of(Id.of(id.textValue()));
    }
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return Optional.of(Id.of(id.longValue()));
    }
    return Optional.empty();
  }

  private static boolean isVersion(JsonNode version) {
    return version != null && version.isTextual() && "2.0".equals(version.textValue());
  }

  private static Invalid invalid(Id id, String why) {
    return new Invalid(id, ErrorObject.of(ErrorObject.INVALID_REQUEST, "Invalid Request: " + why));
  }
}
