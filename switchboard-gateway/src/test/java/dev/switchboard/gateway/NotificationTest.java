package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A notification is encoded once as the JSON-RPC notification devices receive, its payload passed
 * through.
 */
class NotificationTest {

  private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
  private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123Z");

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode decode(byte[] bytes) {
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Notification notification(JsonNode payload, Metadata metadata) {
    return new Notification(ID, AT, "order.shipped", payload, metadata);
  }

  @Test
  void encodesTheWholeJsonRpcNotificationWithEveryField() {
    Metadata metadata =
        new Metadata("api", Priority.HIGH, OptionalLong.of(300), Optional.of("trace-42"));
    JsonNode message = decode(notification(json("{\"order\":17}"), metadata).encode());

    assertThat(fieldNames(message)).containsExactly("jsonrpc", "method", "params");
    assertThat(message.get("jsonrpc").textValue()).isEqualTo("2.0");
    assertThat(message.get("method").textValue()).isEqualTo("notification");
    JsonNode params = message.get("params");
    assertThat(fieldNames(params))
        .containsExactly("id", "occurred_at", "event_type", "payload", "metadata");
    assertThat(params.get("id").textValue()).isEqualTo(ID.toString());
    assertThat(params.get("occurred_at").textValue()).isEqualTo("2024-05-06T07:08:09.123Z");
    assertThat(params.get("event_type").textValue()).isEqualTo("order.shipped");
    assertThat(params.get("payload")).isEqualTo(json("{\"order\":17}"));
    JsonNode meta = params.get("metadata");
    assertThat(fieldNames(meta)).containsExactly("source", "priority", "ttl", "correlation_id");
    assertThat(meta.get("source").textValue()).isEqualTo("api");
    assertThat(meta.get("priority").textValue()).isEqualTo("High");
    assertThat(meta.get("ttl").isIntegralNumber()).isTrue();
    assertThat(meta.get("ttl").longValue()).isEqualTo(300);
    assertThat(meta.get("correlation_id").textValue()).isEqualTo("trace-42");
  }

  @Test
  void absentTtlAndCorrelationIdAreSentAsNull() {
    JsonNode meta =
        decode(notification(json("{}"), Metadata.of("api")).encode()).get("params").get("metadata");

    assertThat(meta.has("ttl")).isTrue();
    assertThat(meta.get("ttl").isNull()).isTrue();
    assertThat(meta.has("correlation_id")).isTrue();
    assertThat(meta.get("correlation_id").isNull()).isTrue();
    assertThat(meta.get("priority").textValue()).isEqualTo("Normal");
  }

  @ParameterizedTest
  @CsvSource({"LOW, Low", "NORMAL, Normal", "HIGH, High", "CRITICAL, Critical"})
  void priorityIsSentByItsWireName(Priority priority, String wireName) {
    Metadata metadata = new Metadata("api", priority, OptionalLong.empty(), Optional.empty());
    JsonNode meta =
        decode(notification(json("{}"), metadata).encode()).get("params").get("metadata");

    assertThat(meta.get("priority").textValue()).isEqualTo(wireName);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"huge\":1e400,\"precise\":0.1000000000000000000001,\"big\":123456789012345678901234567890}",
        "{\"text\":\"h\u00e9llo \u2713 \ud83d\ude00 \\\"quoted\\\" \\\\ \\n\",\"nested\":{\"list\":[1,-2.5,true,null,{\"deep\":[]}]}}",
        "[1.0,2.50,-0.0,1.3040455E7]",
        "\"just a string\"",
        "42",
        "null"
      })
  void payloadPassesThroughUnchanged(String payloadText) {
    JsonNode payload = json(payloadText);

    JsonNode sent =
        decode(notification(payload, Metadata.of("api")).encode()).get("params").get("payload");

    assertThat(sent).isEqualTo(payload);
    assertThat(sent.toString()).isEqualTo(payload.toString());
  }

  @Test
  void numbersADoubleCannotHoldKeepTheirExactValue() {
    JsonNode payload = json("{\"huge\":1e400,\"precise\":0.1000000000000000000001}");

    JsonNode sent =
        decode(notification(payload, Metadata.of("api")).encode()).get("params").get("payload");

    assertThat(sent.get("huge").decimalValue()).isEqualByComparingTo(new BigDecimal("1e400"));
    assertThat(sent.get("precise").decimalValue())
        .isEqualByComparingTo(new BigDecimal("0.1000000000000000000001"));
  }

  @Test
  void unicodeIsSentAsUtf8AndReadsBackTheSame() {
    JsonNode payload = json("{\"text\":\"\u00e9\u2713\ud83d\ude00\"}");

    byte[] bytes = notification(payload, Metadata.of("api")).encode();

    // Characters of the Basic Multilingual Plane go as UTF-8; Jackson escapes the emoji's surrogate
    // pair.
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"text\":\"\u00e9\u2713");
    assertThat(decode(bytes).get("params").get("payload").get("text").textValue())
        .isEqualTo("\u00e9\u2713\ud83d\ude00");
  }

  @Test
  void occurredAtIsTruncatedToMilliseconds() {
    Instant precise = Instant.parse("2024-05-06T07:08:09.123456789Z");

    Notification notification = new Notification(ID, precise, "e", json("{}"), Metadata.of("api"));

    assertThat(notification.occurredAt()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123Z"));
    String sent = decode(notification.encode()).get("params").get("occurred_at").textValue();
    assertThat(sent).isEqualTo("2024-05-06T07:08:09.123Z");
  }

  @Test
  void createGivesEveryNotificationAFreshId() {
    Notification first = Notification.create(AT, "e", json("{}"), Metadata.of("api"));
    Notification second = Notification.create(AT, "e", json("{}"), Metadata.of("api"));

    assertThat(first.id()).isNotEqualTo(second.id());
    assertThat(first.occurredAt()).isEqualTo(AT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void aBlankEventTypeIsRejectedNamingIt(String eventType) {
    assertThatThrownBy(() -> new Notification(ID, AT, eventType, json("{}"), Metadata.of("api")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event_type")
        .hasMessageContaining("\"" + eventType + "\"");
  }

  @Test
  void anEventTypeOfMoreThan128CharactersIsRejectedNamingIt() {
    String longest = "e".repeat(Notification.MAX_EVENT_TYPE_LENGTH);
    assertThat(Notification.checkEventType(longest)).isEqualTo(longest);

    assertThatThrownBy(() -> Notification.checkEventType("x".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1-128 characters")
        .hasMessageContaining("\"" + "x".repeat(80) + "...\"");
  }

  @Test
  void aMissingEventTypeIsRejected() {
    assertThatThrownBy(() -> Notification.checkEventType(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got null");
  }

  @Test
  void missingPartsAreRejectedByName() {
    assertThatThrownBy(() -> new Notification(ID, AT, "e", null, Metadata.of("api")))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("payload");
    assertThatThrownBy(() -> new Notification(ID, AT, "e", json("{}"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("metadata");
    assertThatThrownBy(() -> new Notification(null, AT, "e", json("{}"), Metadata.of("api")))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("id");
  }
}
