package dev.switchboard.cluster;

import static dev.switchboard.cluster.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTest {

  @Test
  void aNameIsOneToSixtyFourLettersDigitsUnderscoresOrHyphens() {
    assertThat(Command.of("a", "m").name()).isEqualTo("a");
    assertThat(Command.of("Fetch_rows-2", "m").name()).isEqualTo("Fetch_rows-2");
    assertThat(Command.of("x".repeat(64), "m").name()).hasSize(64);
  }

  @Test
  void aNameWithADotIsRefusedSoThatAPathIsUnambiguous() {
    assertThatThrownBy(() -> Command.of("a.b", "m"))
        .isInstanceOfSatisfying(
            GraphException.class,
            e -> assertThat(e.code()).isEqualTo(GraphException.Code.INVALID_NAME))
        .hasMessageContaining("\"a.b\"");
  }

  @Test
  void emptyTooLongAbsentOrOddNamesAreRefused() {
    for (String bad : new String[] {"", "x".repeat(65), "a b", "é", null}) {
      assertThatThrownBy(() -> Command.of(bad, "m"))
          .as("name %s", bad)
          .isInstanceOfSatisfying(
              GraphException.class,
              e -> assertThat(e.code()).isEqualTo(GraphException.Code.INVALID_NAME));
    }
  }

  @Test
  void aCommandWithoutAMethodIsRefusedNamingTheCommand() {
    for (String missing : new String[] {"", "  ", null}) {
      assertThatThrownBy(() -> Command.of("prep", missing))
          .isInstanceOfSatisfying(
              GraphException.class,
              e -> assertThat(e.code()).isEqualTo(GraphException.Code.MISSING_METHOD))
          .hasMessage("command \"prep\" has no method");
    }
  }

  @Test
  void paramsAreAnArrayOrAnObjectAndAbsentParamsAreAnEmptyArray() {
    assertThat(Command.of("a", "m").params()).isEqualTo(json("[]"));
    assertThat(Command.of("a", "m", json("{'x':1}")).params()).isEqualTo(json("{'x':1}"));
    assertThatThrownBy(() -> Command.of("a", "m", json("'b'")))
        .isInstanceOfSatisfying(
            GraphException.class,
            e -> assertThat(e.code()).isEqualTo(GraphException.Code.INVALID_PARAMS))
        .hasMessageContaining("array or an object, not string");
  }

  @Test
  void aCommandNeverChangesOnceMade() {
    ObjectNode params = (ObjectNode) json("{'x':1}");
    Command command = Command.of("a", "m", params);
    params.put("x", 2);
    ((ObjectNode) command.params()).put("x", 3);
    assertThat(command.params()).isEqualTo(json("{'x':1}"));
  }

  @Test
  void locationsAreBounded() {
    assertThat(new Command("a", "m", json("[]"), List.of("eu", "us")).locs())
        .containsExactly("eu", "us");
    assertThatThrownBy(
            () ->
                new Command(
                    "a", "m", json("[]"), java.util.Collections.nCopies(Command.MAX_LOCS + 1, "l")))
        .isInstanceOfSatisfying(
            GraphException.class,
            e -> assertThat(e.code()).isEqualTo(GraphException.Code.INVALID_PARAMS))
        .hasMessageContaining("at most 64");
  }
}
