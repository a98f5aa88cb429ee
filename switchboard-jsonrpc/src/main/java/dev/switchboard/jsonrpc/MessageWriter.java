package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Streams a message straight to a generator, members in the order the specification's examples use.
 */
final class MessageWriter {

  private MessageWriter() {}

  static void write(JsonGenerator out, Message message) throws IOException {
    out.writeStartObject();
    out.writeStringField("jsonrpc", "2.0");
    switch (message) {
      case Request request -> {
        out.writeStringField("method", request.method());
        writeParams(out, request.params());
        if (request.timeoutMillis().isPresent()) {
          out.writeNumberField(MessageReader.TIMEOUT_MEMBER, request.timeoutMillis().getAsLong());
        }
        writeTraceContext(out, request.traceContext());
        writeId(out, request.id());
      }
      case Notification notification -> {
        out.writeStringField("method", notification.method());
        writeParams(out, notification.params());
        writeTraceContext(out, notification.traceContext());
      }
      case Response.Success success -> {
        out.writeFieldName("result");
        writeNode(out, success.result());
        writeId(out, success.id());
      }
      case Response.Failure failure -> {
        writeError(out, failure.error());
        writeId(out, failure.id());
      }
    }
    out.writeEndObject();
  }

  private static void writeParams(JsonGenerator out, Params params) throws IOException {
    switch (params) {
      case Params.None none -> {}
      case Params.ByPosition byPosition -> {
        out.writeFieldName("params");
        writeNode(out, byPosition.values());
      }
      case Params.ByName byName -> {
        out.writeFieldName("params");
        writeNode(out, byName.values());
      }
    }
  }

  private static void writeTraceContext(JsonGenerator out, Optional<TraceContext> context)
      throws IOException {
    if (context.isPresent()) {
      out.writeStringField(MessageReader.TRACEPARENT_MEMBER, context.get().traceparent());
      if (context.get().tracestate().isPresent()) {
        out.writeStringField(MessageReader.TRACESTATE_MEMBER, context.get().tracestate().get());
      }
    }
  }

  private static void writeError(JsonGenerator out, ErrorObject error) throws IOException {
    out.writeObjectFieldStart("error");
    out.writeNumberField("code", error.code());
    out.writeStringField("message", error.message());
    if (error.data().isPresent()) {
      out.writeFieldName("data");
      writeNode(out, error.data().get());
    }
    out.writeEndObject();
  }

  /**
   * Writes a tree straight to the generator; {@code writeTree} would look up serializers through a
   * new provider on every call.
   */
  private static void writeNode(JsonGenerator out, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.writeStartObject(node, node.size());
        for (Map.Entry<String, JsonNode> member : node.properties()) {
          out.writeFieldName(member.getKey());
          writeNode(out, member.getValue());
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray(node, node.size());
        for (JsonNode element : node) {
          writeNode(out, element);
        }
        out.writeEndArray();
      }
      case STRING -> out.writeString(node.textValue());
      case NUMBER -> {
        switch (node.numberType()) {
          case INT -> out.writeNumber(node.intValue());
          case LONG -> out.writeNumber(node.longValue());
          case BIG_INTEGER -> out.writeNumber(node.bigIntegerValue());
          case FLOAT -> out.writeNumber(node.floatValue());
          case DOUBLE -> out.writeNumber(node.doubleValue());
          case BIG_DECIMAL -> out.writeNumber(node.decimalValue());
        }
      }
      case BOOLEAN -> out.writeBoolean(node.booleanValue());
      case NULL, MISSING -> out.writeNull();
      case BINARY -> out.writeBinary(node.binaryValue());
      case POJO -> out.writeTree(node);
    }
  }

  private static void writeId(JsonGenerator out, Id id) throws IOException {
    out.writeFieldName("id");
    switch (id) {
      case Id.Text text -> out.writeString(text.value());
      case Id.Int number -> out.writeNumber(number.value());
      case Id.Null nullId -> out.writeNull();
    }
  }
}
