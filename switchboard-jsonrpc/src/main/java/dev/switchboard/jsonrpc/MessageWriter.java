package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Streams a message straight to a generator, members in the order the specification's examples use. */
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
        writeId(out, request.id());
      }
      case Notification notification -> {
        out.writeStringField("method", notification.method());
        writeParams(out, notification.params());
      }
      case Response.Success success -> {
        out.writeFieldName("result");
        out.writeTree(success.result());
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
        out.writeTree(byPosition.values());
      }
      case Params.ByName byName -> {
        out.writeFieldName("params");
        out.writeTree(byName.values());
      }
    }
  }

  private static void writeError(JsonGenerator out, ErrorObject error) throws IOException {
    out.writeObjectFieldStart("error");
    out.writeNumberField("code", error.code());
    out.writeStringField("message", error.message());
    if (error.data().isPresent()) {
      out.writeFieldName("data");
      out.writeTree(error.data().get());
    }
    out.writeEndObject();
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
