package dev.switchboard.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** JSON for tests, written with single quotes for readability. */
final class TestJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestJson() {}

  static JsonNode json(String singleQuoted) {
    try {
      return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }

  /** A command whose params are written in single-quoted JSON. */
  static Command cmd(String name, String params) {
    return Command.of(name, "m." + name, json(params));
  }

  static List<Command> cmds(Command... commands) {
    return new ArrayList<>(List.of(commands));
  }
}
