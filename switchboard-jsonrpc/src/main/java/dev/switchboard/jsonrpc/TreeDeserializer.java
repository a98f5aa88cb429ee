package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Builds trees as Jackson does (without recursion), but a number out of range fails the parse with
 * a {@link StreamConstraintsException} that quotes it as sent, instead of an unchecked exception
 * that callers catching Jackson's own exceptions would let through. Two sources: jackson-core lets
 * the {@code NumberFormatException} of {@code BigDecimal} escape for an exponent beyond an {@code
 * int} ({@code 1e99999999999}), and {@link Json}'s node factory refuses Infinity, NaN and exponents
 * beyond {@link Json#MAX_EXPONENT} with {@link Json.OutOfRange}.
 */
final class TreeDeserializer extends JsonNodeDeserializer {

  private static final long serialVersionUID = 1L;

  private TreeDeserializer() {}

  private TreeDeserializer(TreeDeserializer base, boolean mergeArrays, boolean mergeObjects) {
    super(base, mergeArrays, mergeObjects);
  }

  /** Reads every {@code JsonNode} (and so every {@code readTree}) with this deserializer. */
  static Module module() {
    return new SimpleModule("switchboard-trees")
        .addDeserializer(JsonNode.class, new TreeDeserializer());
  }

  @Override
  public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    try {
      return super.deserialize(p, ctxt);
    } catch (Json.OutOfRange e) {
      throw outOfRange(p, e, e.reason());
    } catch (NumberFormatException e) {
      // The tokenizer has checked the number's syntax: BigDecimal refuses only an exponent beyond
      // an int.
      throw outOfRange(p, e, Json.OutOfRange.EXPONENT);
    }
  }

  @Override
  protected JsonDeserializer<?> _createWithMerge(boolean mergeArrays, boolean mergeObjects) {
    return new TreeDeserializer(this, mergeArrays, mergeObjects);
  }

  private static IOException outOfRange(JsonParser p, IllegalArgumentException e, String reason)
      throws IOException {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
      throw e; // not from a number: a fault of ours, not of the input
    }
    return new StreamConstraintsException("number " + p.getText() + " is out of range: " + reason);
  }
}
