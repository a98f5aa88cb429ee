package dev.switchboard.cluster;

import static dev.switchboard.cluster.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cluster.call}'s {@code cmds} as they arrive on the wire. */
class WireCommandsTest {

  @Test
  void commandsAreReadInRequestOrderWithAbsentParamsAnEmptyArrayAndAbsentLocsNone() {
    CommandGraph graph =
        CommandGraph.fromJson(
            json(
                "[{'name': 'prep', 'method': 'db.prep', 'locs': ['eu']},"
                    + " {'name': 'use', 'method': 'db.use', 'params': {'t': 'prep.total'}}]"));
    assertThat(graph.commands())
        .containsExactly(
            new Command("prep", "db.prep", json("[]"), List.of("eu")),
            new Command("use", "db.use", json("{'t': 'prep.total'}"), List.of()));
    assertThat(graph.dependenciesOf("use")).containsExactly("prep");
  }

  @Test
  void aCommandWithoutAMethodIsRefused() {
    assertRefused(
        "[{'name': 'a', 'method': 'm'}, {'name': 'b'}]",
        GraphException.Code.MISSING_METHOD,
        "command \"b\" has no method");
    assertRefused(
        "[{'name': 'b', 'method': 7}]",
        GraphException.Code.MISSING_METHOD,
        "command \"b\" has no method");
  }

  @Test
  void aCommandWithoutANameIsRefused() {
    assertRefused(
        "[{'method': 'm'}]", GraphException.Code.INVALID_NAME, "command 0 has no name (a string)");
  }

  @Test
  void anEmptyListOrOneThatIsNotAListOfObjectsIsRefused() {
    assertRefused("[]", GraphException.Code.EMPTY, "a graph needs at least one command");
    assertRefused("{}", GraphException.Code.INVALID_PARAMS, "cmds must be an array of commands");
    assertRefused("['a']", GraphException.Code.INVALID_PARAMS, "command 0 must be an object");
  }

  @Test
  void locationsMustBeStrings() {
    assertRefused(
        "[{'name': 'a', 'method': 'm', 'locs': [1]}]",
        GraphException.Code.INVALID_PARAMS,
        "locs of command \"a\" must be an array of at most 64 strings");
  }

  private static void assertRefused(String cmds, GraphException.Code code, String message) {
    assertThatThrownBy(() -> CommandGraph.fromJson(json(cmds)))
        .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(message);
  }
}
