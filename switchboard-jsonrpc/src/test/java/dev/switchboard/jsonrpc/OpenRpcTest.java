package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OpenRPC document that {@code rpc.discover} returns. */
class OpenRpcTest {

  private static final JsonNode INTEGER = Json.nodes().objectNode().put("type", "integer");
  private static final JsonNode STRING = Json.nodes().objectNode().put("type", "string");

  private static MethodDescriptor method(String name, MethodDescriptor.ParamStructure structure) {
    return new MethodDescriptor(name, Optional.empty(), List.of(), INTEGER, structure);
  }

  private static List<String> names(JsonNode methods) {
    List<String> names = new ArrayList<>();
    methods.forEach(m -> names.add(m.get("name").textValue()));
    return names;
  }

  @Test
  void documentNamesTheOpenRpcVersionAndTheService() {
    JsonNode document = OpenRpc.document("Switchboard", "1.2.3", List.of());

    assertThat(document)
        .isEqualTo(
            CodecRoundTripTest.tree(
                "{\"openrpc\": \"1.3.2\", \"info\": {\"title\": \"Switchboard\", \"version\": \"1.2.3\"}, \"methods\": []}"));
    assertThat(OpenRpc.VERSION).isEqualTo("1.3.2");
  }

  @Test
  void methodsAreSortedByName() {
    JsonNode document =
        OpenRpc.document(
            "t",
            "v",
            List.of(
                method("subtract", MethodDescriptor.ParamStructure.EITHER),
                method("echo", MethodDescriptor.ParamStructure.EITHER),
                method("get_data", MethodDescriptor.ParamStructure.EITHER),
                method("Zeta", MethodDescriptor.ParamStructure.EITHER)));

    assertThat(names(document.get("methods")))
        .containsExactly("Zeta", "echo", "get_data", "subtract");
  }

  @Test
  void methodDescribesItsParamsResultAndParamStructure() {
    MethodDescriptor subtract =
        new MethodDescriptor(
            "subtract",
            Optional.of("minuend - subtrahend"),
            List.of(
                new MethodDescriptor.Param("minuend", INTEGER, true),
                new MethodDescriptor.Param("subtrahend", INTEGER, false)),
            STRING,
            MethodDescriptor.ParamStructure.EITHER);

    JsonNode method = OpenRpc.document("t", "v", List.of(subtract)).get("methods").get(0);

    assertThat(method)
        .isEqualTo(
            CodecRoundTripTest.tree(
                """
        {"name": "subtract",
         "description": "minuend - subtrahend",
         "params": [
           {"name": "minuend", "required": true, "schema": {"type": "integer"}},
           {"name": "subtrahend", "required": false, "schema": {"type": "integer"}}],
         "result": {"name": "result", "schema": {"type": "string"}},
         "paramStructure": "either"}"""));
  }

  @Test
  void descriptionIsLeftOutWhenThereIsNone() {
    JsonNode method =
        OpenRpc.document("t", "v", List.of(method("m", MethodDescriptor.ParamStructure.BY_NAME)))
            .get("methods")
            .get(0);

    assertThat(method.has("description")).isFalse();
    assertThat(method.get("params")).isEmpty();
  }

  @Test
  void paramStructureIsSpelledAsOpenRpcSpellsIt() {
    JsonNode methods =
        OpenRpc.document(
                "t",
                "v",
                List.of(
                    method("a", MethodDescriptor.ParamStructure.BY_NAME),
                    method("b", MethodDescriptor.ParamStructure.BY_POSITION),
                    method("c", MethodDescriptor.ParamStructure.EITHER)))
            .get("methods");

    assertThat(methods.get(0).get("paramStructure").textValue()).isEqualTo("by-name");
    assertThat(methods.get(1).get("paramStructure").textValue()).isEqualTo("by-position");
    assertThat(methods.get(2).get("paramStructure").textValue()).isEqualTo("either");
    assertThat(MethodDescriptor.ParamStructure.BY_NAME.openRpcName()).isEqualTo("by-name");
    assertThat(MethodDescriptor.ParamStructure.BY_POSITION.openRpcName()).isEqualTo("by-position");
    assertThat(MethodDescriptor.ParamStructure.EITHER.openRpcName()).isEqualTo("either");
  }

  @Test
  void voidResultIsDescribedAsNull() {
    MethodDescriptor update =
        new MethodDescriptor(
            "update",
            Optional.empty(),
            List.of(),
            JsonSchemas.of(void.class),
            MethodDescriptor.ParamStructure.BY_POSITION);

    JsonNode method = OpenRpc.document("t", "v", List.of(update)).get("methods").get(0);

    assertThat(method.get("result").get("schema"))
        .isEqualTo(CodecRoundTripTest.tree("{\"type\": \"null\"}"));
  }
}
