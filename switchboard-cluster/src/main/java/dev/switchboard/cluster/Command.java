package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One command of a {@code cluster.call}: call {@code method} with {@code params} at the locations
 * {@code locs}.
 *
 * <p>The name is 1 to {@value #MAX_NAME_CHARS} of {@code [A-Za-z0-9_-]}. It has no {@code .}, so a
 * reference such as {@code rows.0.id} is unambiguous: the name is everything before the first
 * {@code .}, the path into that command's result everything after.
 *
 * <p>{@code params} is a JSON-RPC params value, an array or an object (absent on the wire: an empty
 * array). A string anywhere inside its values that equals another command's name, or starts with
 * one followed by {@code .}, is a reference to that command's result; object keys never are. The
 * record holds its own copy of {@code params} and {@link #params()} hands out copies, so a command
 * never changes once made.
 *
 * @param name the command's name, unique in its graph
 * @param method the method to call, not blank
 * @param params the params, an array or an object
 * @param locs the locations (resources) the command runs at, at most {@value #MAX_LOCS}; may be
 *     empty
 * @throws GraphException with {@code INVALID_NAME}, {@code MISSING_METHOD} or {@code
 *     INVALID_PARAMS} when an argument breaks these rules (a null method or name counts as missing
 *     or invalid, as an absent member on the wire)
 */
public record Command(String name, String method, JsonNode params, List<String> locs) {

  /** The longest name. */
  public static final int MAX_NAME_CHARS = 64;

  /** The most locations a command may name. */
  public static final int MAX_LOCS = 64;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_NAME_CHARS + "}");

  public Command {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new GraphException(
          GraphException.Code.INVALID_NAME,
          "invalid command name "
              + quote(name)
              + ": a name is 1 to "
              + MAX_NAME_CHARS
              + " of A-Z a-z 0-9 _ -");
    }
    if (method == null || method.isBlank()) {
      throw new GraphException(
          GraphException.Code.MISSING_METHOD, "command \"" + name + "\" has no method");
    }
    if (params == null || !(params.isArray() || params.isObject())) {
      throw new GraphException(
          GraphException.Code.INVALID_PARAMS,
          "params of command \""
              + name
              + "\" must be an array or an object, not "
              + (params == null ? "null" : params.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    if (locs == null || locs.size() > MAX_LOCS || locs.stream().anyMatch(l -> l == null)) {
      throw new GraphException(
          GraphException.Code.INVALID_PARAMS,
          "locs of command \""
              + name
              + "\" must be a list of at most "
              + MAX_LOCS
              + " strings"
              + (locs == null ? "" : ", got " + locs.size()));
    }
    params = params.deepCopy();
    locs = List.copyOf(locs);
  }

  /** A command with no params (an empty array) and no locations. */
  public static Command of(String name, String method) {
    return new Command(name, method, JsonNodeFactory.instance.arrayNode(), List.of());
  }

  /** A command with these params and no locations. */
  public static Command of(String name, String method, JsonNode params) {
    return new Command(name, method, params, List.of());
  }

  /** A copy of the params as sent, references unresolved. */
  @Override
  public JsonNode params() {
    return params.deepCopy();
  }

  /** The params this record holds; callers in this package never modify them. */
  JsonNode paramsTree() {
    return params;
  }

  private static String quote(String s) {
    if (s == null) {
      return "(none)";
    }
    String shown = s.length() > MAX_NAME_CHARS + 8 ? s.substring(0, MAX_NAME_CHARS + 8) + "…" : s;
    return "\"" + shown + "\"";
  }
}
