package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A payload nests at most {@link Notification#MAX_PAYLOAD_DEPTH} deep, so that every notification
 * can be encoded (inside its envelope) and parsed by the devices; deeper is refused naming the
 * depth and the limit.
 */
@Timeout(10)
class PayloadDepthTest {

  /** Arrays and objects alternating, {@code depth} deep, with a scalar at the bottom. */
  private static JsonNode nested(int depth) {
    JsonNode node = Json.nodes().textNode("bottom");
    for (int level = 0; level < depth; level++) {
      if (level % 2 == 0) {
        ArrayNode array = Json.nodes().arrayNode().add(1);
        node = array.add(node);
      } else {
        ObjectNode object = Json.nodes().objectNode().put("flat", true);
        object.set("down", node);
        node = object;
      }
    }
    return node;
  }

  private static Notification notification(JsonNode payload) {
    return Notification.create(Instant.EPOCH, "e", payload, Metadata.of("api"));
  }

  @Test
  void aPayloadNestedToTheLimitIsEncodedAndReadsBackWhole() throws Exception {
    JsonNode payload = nested(Notification.MAX_PAYLOAD_DEPTH);

    byte[] encoded = notification(payload).encode();

    assertThat(Json.mapper().readTree(encoded).get("params").get("payload")).isEqualTo(payload);
  }

  @Test
  void aPayloadNestedDeeperThanTheLimitIsRefusedNamingDepthAndLimit() {
    int depth = Notification.MAX_PAYLOAD_DEPTH + 1;

    assertThatThrownBy(() -> notification(nested(depth)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload is nested " + depth + " levels deep")
        .hasMessageContaining("the limit is " + Notification.MAX_PAYLOAD_DEPTH);
  }

  @Test
  void theDepthNamedIsTheWholeDepthOfAVeryDeepPayload() {
    // Built in Java, so no parser limit applies; the check itself must not recurse.
    assertThatThrownBy(() -> Notification.checkPayload(nested(100_000)))
        .hasMessageContaining("payload is nested 100000 levels deep");
  }

  @Test
  void aWidePayloadIsNotADeepOne() {
    ArrayNode wide = Json.nodes().arrayNode();
    for (int i = 0; i < 10_000; i++) {
      wide.addArray().add(i);
    }

    assertThat(Notification.checkPayload(wide)).isSameAs(wide);
  }

  @Test
  void aScalarPayloadIsAlwaysAccepted() {
    assertThat(Notification.checkPayload(Json.nodes().nullNode()).isNull()).isTrue();
    assertThat(Notification.checkPayload(nested(0)).asText()).isEqualTo("bottom");
  }
}
