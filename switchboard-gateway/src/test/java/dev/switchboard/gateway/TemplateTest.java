package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleTemplates.CREATED;
import static dev.switchboard.gateway.SampleTemplates.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A template is valid when made: every problem names the field as the HTTP API spells it. */
class TemplateTest {

  private static Template make(
      String id, String name, String eventType, JsonNode payload, long ttl) {
    return new Template(
        id,
        name,
        eventType,
        payload,
        Priority.NORMAL,
        ttl == 0 ? OptionalLong.empty() : OptionalLong.of(ttl),
        Optional.empty(),
        CREATED,
        CREATED);
  }

  @Test
  void anIdIsOneToSixtyFourLettersDigitsUnderscoresAndDashes() {
    assertThat(Template.checkId("a")).isEqualTo("a");
    assertThat(Template.checkId("Order_shipped-2")).isEqualTo("Order_shipped-2");
    assertThat(Template.checkId("x".repeat(64))).hasSize(64);

    for (String bad : new String[] {"", "x".repeat(65), "a.b", "a b", "a:b", "é", "a/b"}) {
      assertThatThrownBy(() -> Template.checkId(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "id must be 1-64 characters of letters, digits, '_' and '-', got");
    }
  }

  @Test
  void everyFieldIsChecked() {
    JsonNode payload = json("{}");
    assertThatThrownBy(() -> make("a b", "n", "e", payload, 0)).hasMessageStartingWith("id ");
    assertThatThrownBy(() -> make("t", " ", "e", payload, 0))
        .hasMessageStartingWith("name must be 1-256 characters");
    assertThatThrownBy(() -> make("t", "n".repeat(257), "e", payload, 0))
        .hasMessageStartingWith("name must be 1-256 characters");
    assertThatThrownBy(() -> make("t", "n", "", payload, 0)).hasMessageStartingWith("event_type ");
    assertThatThrownBy(() -> make("t", "n", "e", payload, -1)).hasMessageStartingWith("ttl ");
  }

  @Test
  void aPayloadTemplateNestsNoDeeperThanAPayload() {
    JsonNode deep = json("0");
    for (int i = 0; i < Notification.MAX_PAYLOAD_DEPTH + 1; i++) {
      deep = Json.nodes().arrayNode().add(deep);
    }
    JsonNode tooDeep = deep;

    assertThatThrownBy(() -> make("t", "n", "e", tooDeep, 0))
        .hasMessage(
            "payload_template is nested 65 levels deep (arrays and objects); the limit is 64");
  }

  @Test
  void theTemplateKeepsItsOwnCopyOfThePayloadTemplate() {
    ObjectNode payload = (ObjectNode) json("{\"a\": 1}");
    Template t = make("t", "n", "e", payload, 0);

    payload.put("a", 2);
    ((ObjectNode) t.payloadTemplate()).put("a", 3);

    assertThat(t.payloadTemplate()).isEqualTo(json("{\"a\": 1}"));
  }
}
