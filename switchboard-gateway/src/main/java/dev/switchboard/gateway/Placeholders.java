package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.jsonrpc.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code {{name}}} and {@code {{path.to.field}}} placeholders in every string of a JSON
 * value (object field names are left alone). A string that is exactly one placeholder becomes the
 * variable's value, of whatever JSON type; a placeholder inside longer text becomes the variable's
 * text (a string as itself, anything else as its JSON). Substituted text is not searched again, so
 * a variable holding {@code "{{x}}"} is inserted as those characters. Pure: the template and the
 * variables are never changed.
 */
final class Placeholders {

  /** Names are letters, digits, '_' and '-'; a path joins names with dots; spaces may pad it. */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)\\s*}}");

  private final JsonNode variables;
  private final long maxChars;

  /** Characters substituted so far, to bound what a small request can make the server build. */
  private long substituted;

  private Placeholders(JsonNode variables, long maxChars) {
    this.variables = variables;
    this.maxChars = maxChars;
  }

  /**
   * {@code template} with its placeholders replaced by {@code variables}' values.
   *
   * @param variables an object; a path {@code a.b} reads field {@code b} of object {@code a} (or
   *     element {@code b} of array {@code a}, when {@code b} is a whole number)
   * @param maxChars most characters that substitution may add, counting a whole value as its JSON
   * @throws IllegalArgumentException naming a variable the template uses and {@code variables}
   *     lacks, or when substitution would add more than {@code maxChars} characters
   */
  static JsonNode render(JsonNode template, JsonNode variables, long maxChars) {
    if (!variables.isObject()) {
      throw new IllegalArgumentException("variables must be an object, got " + variables);
    }
    return new Placeholders(variables, maxChars).value(template);
  }

  private JsonNode value(JsonNode node) {
    return switch (node) {
      case TextNode text -> text(text.textValue());
      case ObjectNode object -> {
        ObjectNode out = Json.nodes().objectNode();
        object.properties().forEach(field -> out.set(field.getKey(), value(field.getValue())));
        yield out;
      }
      case ArrayNode array -> {
        ArrayNode out = Json.nodes().arrayNode(array.size());
        array.forEach(element -> out.add(value(element)));
        yield out;
      }
      default -> node.deepCopy();
    };
  }

  private JsonNode text(String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    if (m.matches()) {
      JsonNode found = lookup(m.group(1));
      count(found.isTextual() ? found.textValue().length() : found.toString().length());
      return found.deepCopy();
    }
    m.reset();
    if (!m.find()) {
      return TextNode.valueOf(text);
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      JsonNode found = lookup(m.group(1));
      String inserted = found.isTextual() ? found.textValue() : found.toString();
      count(inserted.length());
      m.appendReplacement(out, Matcher.quoteReplacement(inserted));
    } while (m.find());
    m.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  private JsonNode lookup(String path) {
    JsonNode node = variables;
    for (String name : path.split("\\.")) {
      node =
          node.isArray() && name.chars().allMatch(Character::isDigit) && name.length() < 10
              ? node.path(Integer.parseInt(name))
              : node.path(name);
      if (node.isMissingNode()) {
        throw new IllegalArgumentException(
            "variable \"" + path + "\" is missing: the template uses {{" + path + "}}");
      }
    }
    return node;
  }

  private void count(long chars) {
    substituted += chars;
    if (substituted > maxChars) {
      throw new IllegalArgumentException(
          "the rendered payload is too large: its variables add more than "
              + maxChars
              + " characters");
    }
  }
}
