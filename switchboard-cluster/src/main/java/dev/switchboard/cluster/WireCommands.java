package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code cmds} member of {@code cluster.call}: {@code [{name, method, params, locs}]}.
 */
final class WireCommands {

  private WireCommands() {}

  static List<Command> read(JsonNode cmds) {
    if (!cmds.isArray()) {
      throw new GraphException(
          GraphException.Code.INVALID_PARAMS, "cmds must be an array of commands");
    }
    if (cmds.isEmpty()) {
      throw new GraphException(GraphException.Code.EMPTY, "a graph needs at least one command");
    }
    if (cmds.size() > CommandGraph.MAX_COMMANDS) {
      throw new GraphException(
          GraphException.Code.TOO_MANY_COMMANDS,
          "a graph holds at most " + CommandGraph.MAX_COMMANDS + " commands, got " + cmds.size());
    }
    List<Command> commands = new ArrayList<>(cmds.size());
    for (int i = 0; i < cmds.size(); i++) {
      commands.add(command(cmds.get(i), i));
    }
    return commands;
  }

  private static Command command(JsonNode json, int index) {
    if (!json.isObject()) {
      throw new GraphException(
          GraphException.Code.INVALID_PARAMS, "command " + index + " must be an object");
    }
    JsonNode name = json.path("name");
    if (!name.isTextual()) {
      throw new GraphException(
          GraphException.Code.INVALID_NAME, "command " + index + " has no name (a string)");
    }
    JsonNode method = json.path("method");
    if (!method.isTextual()) {
      throw new GraphException(
          GraphException.Code.MISSING_METHOD, "command \"" + name.textValue() + "\" has no method");
    }
    JsonNode params = json.path("params");
    if (params.isMissingNode()) {
      params = JsonNodeFactory.instance.arrayNode();
    }
    return new Command(name.textValue(), method.textValue(), params, locs(json.path("locs"), name));
  }

  private static List<String> locs(JsonNode locs, JsonNode name) {
    if (locs.isMissingNode()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (locs.isArray() && locs.size() <= Command.MAX_LOCS) {
      for (JsonNode loc : locs) {
        if (loc.isTextual()) {
          out.add(loc.textValue());
        }
      }
      if (out.size() == locs.size()) {
        return out;
      }
    }
    throw new GraphException(
        GraphException.Code.INVALID_PARAMS,
        "locs of command \""
            + name.textValue()
            + "\" must be an array of at most "
            + Command.MAX_LOCS
            + " strings");
  }
}
