package dev.switchboard.cluster;

import static dev.switchboard.cluster.TestJson.cmd;
import static dev.switchboard.cluster.TestJson.cmds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** What {@link CommandGraph#plan} finds in a list of commands, and what it refuses. */
class PlanningTest {

  @Test
  void aStringEqualToACommandsNameIsADependency() {
    CommandGraph graph = CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "['a', 'x']")));
    assertThat(graph.dependenciesOf("b")).containsExactly("a");
    assertThat(graph.dependenciesOf("a")).isEmpty();
  }

  @Test
  void aStringStartingWithANameAndADotIsADependencyOnAPathIntoItsResult() {
    CommandGraph graph =
        CommandGraph.plan(
            cmds(
                cmd("prep", "[]"),
                cmd("rows", "[]"),
                cmd("use", "{'total': 'prep.total', 'first': {'id': ['rows.0.id']}}")));
    assertThat(graph.dependenciesOf("use")).containsExactly("prep", "rows");
  }

  @Test
  void otherStringsAreLiterals() {
    CommandGraph graph =
        CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "['ab', 'A', 'a_', ' a', 'x.a', 1]")));
    assertThat(graph.dependenciesOf("b")).isEmpty();
  }

  @Test
  void objectKeysAreNeverReferences() {
    CommandGraph graph =
        CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "{'a': 1, 'a.x': {'a': 'lit'}}")));
    assertThat(graph.dependenciesOf("b")).isEmpty();
  }

  @Test
  void aDependencyIsListedOnceHoweverOftenItIsReferred() {
    CommandGraph graph =
        CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "['a', 'a.x', {'y': 'a'}]")));
    assertThat(graph.dependenciesOf("b")).containsExactly("a");
  }

  @Test
  void anEmptyListIsRefused() {
    assertRefused(
        () -> CommandGraph.plan(List.of()),
        GraphException.Code.EMPTY,
        "a graph needs at least one command");
  }

  @Test
  void moreThanTheMostCommandsIsRefused() {
    List<Command> many = new ArrayList<>();
    for (int i = 0; i <= CommandGraph.MAX_COMMANDS; i++) {
      many.add(Command.of("c" + i, "m"));
    }
    assertRefused(
        () -> CommandGraph.plan(many),
        GraphException.Code.TOO_MANY_COMMANDS,
        "a graph holds at most 256 commands, got 257");
    assertThat(CommandGraph.plan(many.subList(0, 256)).commands()).hasSize(256);
  }

  @Test
  void aDuplicateNameIsRefused() {
    assertRefused(
        () -> CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "[]"), cmd("a", "[]"))),
        GraphException.Code.DUPLICATE_NAME,
        "duplicate command name \"a\" (commands 0 and 2)");
  }

  @Test
  void aCycleIsRefusedWithItsNamesInOrder() {
    assertRefused(
        () -> CommandGraph.plan(cmds(cmd("a", "['b']"), cmd("b", "['a.x']"))),
        GraphException.Code.CYCLE,
        "commands form a cycle: a -> b -> a");
    assertRefused(
        () ->
            CommandGraph.plan(
                cmds(cmd("z", "[]"), cmd("a", "['z', 'c']"), cmd("b", "['a']"), cmd("c", "['b']"))),
        GraphException.Code.CYCLE,
        "commands form a cycle: a -> c -> b -> a");
  }

  @Test
  void aSelfReferenceIsACycle() {
    assertRefused(
        () -> CommandGraph.plan(cmds(cmd("a", "{'me': 'a.id'}"))),
        GraphException.Code.CYCLE,
        "commands form a cycle: a -> a");
  }

  @Test
  void aReferenceWithAnEmptyPathSegmentIsRefused() {
    assertRefused(
        () -> CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "['a..x']"))),
        GraphException.Code.INVALID_PARAMS,
        "params of command \"b\": reference \"a..x\" has an empty path segment");
  }

  @Test
  void thePlanKeepsTheCommandsInRequestOrderForTheCallerToCheck() {
    CommandGraph graph = CommandGraph.plan(cmds(cmd("b", "['a']"), cmd("a", "[]"), cmd("c", "[]")));
    assertThat(graph.commands()).extracting(Command::name).containsExactly("b", "a", "c");
    assertThat(graph.commands()).extracting(Command::method).containsExactly("m.b", "m.a", "m.c");
  }

  private static void assertRefused(
      ThrowingCallable plan, GraphException.Code code, String message) {
    assertThatThrownBy(plan)
        .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(message);
  }
}
