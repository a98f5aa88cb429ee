package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A checked list of commands with each one's dependencies: the plan of a {@code cluster.call}.
 *
 * <p>{@link #plan} refuses, before anything runs, an empty list, more than {@value #MAX_COMMANDS}
 * commands, a duplicate name and a cycle (a command referring to itself is one). Whether a method
 * or location exists is not the planner's business: the caller checks {@link #commands()} (the
 * router knows its providers) before it {@linkplain GraphRun#start runs} the graph.
 *
 * <p>Immutable and thread-safe.
 */
public final class CommandGraph {

  /** The most commands a graph may hold. */
  public static final int MAX_COMMANDS = 256;

  private final List<Command> commands;
  private final Map<String, Integer> indexByName;
  // For each command (by index in request order): the references in its params, in the order of a
  // depth-first walk, and the indexes of the distinct commands they name.
  private final List<List<Reference>> references;
  private final List<List<Integer>> dependencies;
  private final List<List<Integer>> dependents;

  private CommandGraph(
      List<Command> commands, Map<String, Integer> indexByName, List<List<Reference>> references) {
    this.commands = commands;
    this.indexByName = indexByName;
    this.references = references;
    List<List<Integer>> deps = new ArrayList<>();
    List<List<Integer>> users = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      users.add(new ArrayList<>());
    }
    for (int i = 0; i < commands.size(); i++) {
      Set<Integer> distinct = new LinkedHashSet<>();
      for (Reference r : references.get(i)) {
        distinct.add(indexByName.get(r.command()));
      }
      deps.add(List.copyOf(distinct));
      for (int d : distinct) {
        users.get(d).add(i);
      }
    }
    this.dependencies = List.copyOf(deps);
    this.dependents = users.stream().map(List::copyOf).toList();
  }

  /**
   * Checks the commands and finds their dependencies.
   *
   * @param commands the commands in request order
   * @return the plan
   * @throws GraphException with {@code EMPTY}, {@code TOO_MANY_COMMANDS}, {@code DUPLICATE_NAME},
   *     {@code CYCLE} (the message gives the cycle, {@code a -> b -> a}) or {@code INVALID_PARAMS}
   * @throws NullPointerException if {@code commands} or one of them is null
   */
  public static CommandGraph plan(List<Command> commands) {
    Objects.requireNonNull(commands, "commands");
    if (commands.isEmpty()) {
      throw new GraphException(GraphException.Code.EMPTY, "a graph needs at least one command");
    }
    if (commands.size() > MAX_COMMANDS) {
      throw new GraphException(
          GraphException.Code.TOO_MANY_COMMANDS,
          "a graph holds at most " + MAX_COMMANDS + " commands, got " + commands.size());
    }
    List<Command> list = List.copyOf(commands);
    Map<String, Integer> indexByName = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Integer earlier = indexByName.putIfAbsent(list.get(i).name(), i);
      if (earlier != null) {
        throw new GraphException(
            GraphException.Code.DUPLICATE_NAME,
            "duplicate command name \""
                + list.get(i).name()
                + "\" (commands "
                + earlier
                + " and "
                + i
                + ")");
      }
    }
    List<List<Reference>> references = new ArrayList<>();
    for (Command c : list) {
      List<Reference> found = new ArrayList<>();
      collect(c.paramsTree(), indexByName.keySet(), c.name(), found);
      references.add(List.copyOf(found));
    }
    CommandGraph graph = new CommandGraph(list, Map.copyOf(indexByName), List.copyOf(references));
    Cycles.find(graph.dependencies)
        .ifPresent(
            cycle -> {
              throw new GraphException(
                  GraphException.Code.CYCLE,
                  "commands form a cycle: "
                      + String.join(" -> ", cycle.stream().map(i -> list.get(i).name()).toList()));
            });
    return graph;
  }

  /**
   * Reads and plans the {@code cmds} member of a {@code cluster.call}: an array of {@code {"name",
   * "method", "params"?, "locs"?}}, absent params being an empty array and absent locs none.
   *
   * @throws GraphException as {@link #plan}, and as {@link Command}'s constructor for a command
   *     without a name or a method ({@code INVALID_NAME}, {@code MISSING_METHOD}); with {@code
   *     INVALID_PARAMS} when {@code cmds} is not an array of objects or a command's {@code locs} is
   *     not an array of strings
   */
  public static CommandGraph fromJson(JsonNode cmds) {
    return plan(WireCommands.read(Objects.requireNonNull(cmds, "cmds")));
  }

  private static void collect(JsonNode node, Set<String> names, String owner, List<Reference> out) {
    if (node.isTextual()) {
      Reference.parse(node.textValue(), names, owner).ifPresent(out::add);
    } else if (node.isContainerNode()) {
      // Values only: an object's field names are never references.
      for (JsonNode child : node) {
        collect(child, names, owner, out);
      }
    }
  }

  /** The commands in request order. */
  public List<Command> commands() {
    return commands;
  }

  /**
   * The names of the commands {@code name} depends on, in the order its params first refer to them.
   *
   * @throws IllegalArgumentException if no command has that name
   */
  public List<String> dependenciesOf(String name) {
    return dependencies.get(indexOf(name)).stream().map(i -> commands.get(i).name()).toList();
  }

  int size() {
    return commands.size();
  }

  int indexOf(String name) {
    Integer i = indexByName.get(Objects.requireNonNull(name, "name"));
    if (i == null) {
      throw new IllegalArgumentException("no command named \"" + name + "\"");
    }
    return i;
  }

  List<Integer> dependencies(int index) {
    return dependencies.get(index);
  }

  List<Integer> dependents(int index) {
    return dependents.get(index);
  }

  Set<String> names() {
    return indexByName.keySet();
  }
}
