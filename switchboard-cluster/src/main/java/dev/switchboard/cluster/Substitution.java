package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds a command's resolved params: a new tree, the original's shape, each reference string
 * replaced by (a copy of) the result it names. Only the original params are walked, never a result
 * put in, so a result that happens to equal a command's name stays as it is.
 */
final class Substitution {

  /** An array index: digits, no sign, no leading zero; at most nine so it fits an int. */
  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");

  private Substitution() {}

  /** A reference whose path its dependency's result does not have. */
  static final class PathNotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PathNotFound(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The resolved params.
   *
   * @param params the command's params as planned
   * @param names every command's name in the graph
   * @param resultOf the finished result of a command the params refer to
   * @throws PathNotFound naming the first reference that does not resolve
   */
  static JsonNode resolve(JsonNode params, Set<String> names, Function<String, JsonNode> resultOf) {
    if (params.isTextual()) {
      return Reference.parse(params.textValue(), names, "")
          .<JsonNode>map(r -> at(r, resultOf.apply(r.command())).deepCopy())
          .orElse(params);
    }
    if (params.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : params.properties()) {
        out.set(field.getKey(), resolve(field.getValue(), names, resultOf));
      }
      return out;
    }
    if (params.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(params.size());
      for (JsonNode element : params) {
        out.add(resolve(element, names, resultOf));
      }
      return out;
    }
    return params.deepCopy();
  }

  private static JsonNode at(Reference reference, JsonNode result) {
    JsonNode at = result;
    String where = reference.command() + "'s result";
    StringBuilder walked = new StringBuilder(reference.command());
    for (String step : reference.path()) {
      JsonNode next;
      if (at.isObject()) {
        next = at.get(step);
        if (next == null) {
          throw notFound(reference, where + " has no field \"" + step + "\"");
        }
      } else if (at.isArray()) {
        if (!INDEX.matcher(step).matches() || Integer.parseInt(step) >= at.size()) {
          throw notFound(
              reference,
              where + " has no element \"" + step + "\" (an array of " + at.size() + ")");
        }
        next = at.get(Integer.parseInt(step));
      } else {
        throw notFound(
            reference,
            where
                + " is "
                + at.getNodeType().name().toLowerCase(Locale.ROOT)
                + ", not an object or an array, so it has no \""
                + step
                + "\"");
      }
      at = next;
      walked.append('.').append(step);
      where = walked.toString();
    }
    return at;
  }

  private static PathNotFound notFound(Reference reference, String why) {
    return new PathNotFound(reference.text() + ": " + why);
  }
}
