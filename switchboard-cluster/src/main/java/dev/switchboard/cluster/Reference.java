package dev.switchboard.cluster;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A string in a command's params that refers to another command's result: {@code prep} (the whole
 * result) or {@code rows.0.id} (a path into it: object field names, array indexes as digits).
 *
 * @param text the string as written
 * @param command the name of the command referred to
 * @param path the path into its result, empty for the whole result
 */
record Reference(String text, String command, List<String> path) {

  /**
   * The reference a string makes, if it names one of {@code names}; a string naming none is a
   * literal.
   *
   * @throws GraphException with {@code INVALID_PARAMS} for a reference with an empty path segment
   */
  static Optional<Reference> parse(String text, Set<String> names, String owner) {
    int dot = text.indexOf('.');
    String command = dot < 0 ? text : text.substring(0, dot);
    if (!names.contains(command)) {
      return Optional.empty();
    }
    if (dot < 0) {
      return Optional.of(new Reference(text, command, List.of()));
    }
    List<String> path = List.of(text.substring(dot + 1).split("\\.", -1));
    if (path.stream().anyMatch(String::isEmpty)) {
      throw new GraphException(
          GraphException.Code.INVALID_PARAMS,
          "params of command \""
              + owner
              + "\": reference \""
              + text
              + "\" has an empty path segment");
    }
    return Optional.of(new Reference(text, command, path));
  }
}
