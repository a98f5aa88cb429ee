package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The one codec implementation: the same rules over Jackson's JSON or MessagePack format. */
final class JacksonCodec implements Codec {

  static final JacksonCodec JSON = new JacksonCodec(Encoding.JSON, Json.mapper());
  static final JacksonCodec MSGPACK = new JacksonCodec(Encoding.MSGPACK, Json.msgpackMapper());

  private final Encoding encoding;
  private final ObjectMapper mapper;

  private JacksonCodec(Encoding encoding, ObjectMapper mapper) {
    this.encoding = encoding;
    this.mapper = mapper;
  }

  @Override
  public Encoding encoding() {
    return encoding;
  }

  @Override
  public Decoded decode(byte[] bytes) {
    if (encoding == Encoding.MSGPACK) { // cheap and non-recursive: refuse before building any tree
      Optional<String> problem = MsgPackShape.problem(bytes);
      if (problem.isPresent()) {
        return new Decoded.Unparsable(problem.get());
      }
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(bytes);
    } catch (JacksonException e) {
      return new Decoded.Unparsable(e.getOriginalMessage());
    } catch (IOException e) {
      return new Decoded.Unparsable(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      // The MessagePack parser reports some corrupt input with unchecked exceptions.
      return new Decoded.Unparsable(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      return new Decoded.Unparsable("no content");
    }
    return MessageReader.read(tree);
  }

  @Override
  public byte[] encode(Message message) {
    ByteArrayBuilder bytes = new ByteArrayBuilder();
    try (JsonGenerator out = mapper.createGenerator(bytes)) {
      MessageWriter.write(out, message);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
    }
    return bytes.toByteArray();
  }

  @Override
  public byte[] encodeBatch(List<? extends Message> messages) {
    ByteArrayBuilder bytes = new ByteArrayBuilder();
    try (JsonGenerator out = mapper.createGenerator(bytes)) {
      out.writeStartArray();
      for (Message message : messages) {
        MessageWriter.write(out, message);
      }
      out.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a batch of " + messages.size(), e);
    }
    return bytes.toByteArray();
  }
}
