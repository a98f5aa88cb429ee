package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Metadata;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Priority;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Ara's device protocol without a socket: the four messages a device sends, every way one can be
 * wrong, and the shapes of what the server sends (as Ara's API reference shows them).
 */
class AraCodecTest {

  private static AraCodec.Decoded decode(String singleQuotedJson) {
    return AraCodec.decode(Encoding.JSON, PushHttp.json(singleQuotedJson).getBytes(UTF8));
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static JsonNode parse(byte[] bytes) {
    return PushHttp.parse(new String(bytes, UTF8));
  }

  // ---- what devices send

  @Test
  void subscribeAndUnsubscribeCarryTheirChannels() {
    assertThat(decode("{'type':'Subscribe','payload':{'channels':['orders','alerts']}}"))
        .isEqualTo(new AraCodec.Valid(new AraCodec.Subscribe(List.of("orders", "alerts"))));
    assertThat(decode("{'type':'Unsubscribe','payload':{'channels':['orders']}}"))
        .isEqualTo(new AraCodec.Valid(new AraCodec.Unsubscribe(List.of("orders"))));
  }

  @Test
  void pingNeedsNoPayload() {
    assertThat(decode("{'type':'Ping'}")).isEqualTo(new AraCodec.Valid(new AraCodec.Ping()));
  }

  @Test
  void ackCarriesTheNotificationId() {
    UUID id = UUID.randomUUID();
    assertThat(decode("{'type':'Ack','payload':{'notification_id':'" + id + "'}}"))
        .isEqualTo(new AraCodec.Valid(new AraCodec.Ack(id)));
  }

  @Test
  void somethingThatIsNotJsonIsAnInvalidMessage() {
    AraCodec.Invalid invalid =
        (AraCodec.Invalid) AraCodec.decode(Encoding.JSON, "{\"type\":".getBytes(UTF8));
    assertThat(invalid.code()).isEqualTo(AraCodec.INVALID_MESSAGE);
    assertThat(invalid.message()).startsWith("the message is not JSON: ");
  }

  @Test
  void anUnknownTypeIsNamedWithTheTypesThereAre() {
    assertThat(decode("{'type':'subscribe','payload':{'channels':['orders']}}"))
        .isEqualTo(
            new AraCodec.Invalid(
                AraCodec.INVALID_MESSAGE,
                "unknown message type \"subscribe\": expected Subscribe, Unsubscribe, Ping or Ack"));
  }

  @Test
  void aMessageWithoutTypeOrNotAnObjectSaysWhatAMessageIs() {
    assertThat(decode("{'payload':{}}"))
        .isEqualTo(
            new AraCodec.Invalid(
                AraCodec.INVALID_MESSAGE,
                "a message needs \"type\": Subscribe, Unsubscribe, Ping or Ack; got nothing"));
    assertThat(decode("['Ping']"))
        .isEqualTo(
            new AraCodec.Invalid(
                AraCodec.INVALID_MESSAGE,
                "a message is a JSON object {\"type\": ..., \"payload\": ...}, got [\"Ping\"]"));
  }

  @Test
  void aSubscribeWithoutAListOfNamesShowsWhatCame() {
    assertThat(decode("{'type':'Subscribe','payload':{'channels':'orders'}}"))
        .isEqualTo(
            new AraCodec.Invalid(
                AraCodec.INVALID_MESSAGE,
                "Subscribe needs \"payload\": {\"channels\": [channel names]}, got "
                    + "{\"channels\":\"orders\"}"));
    assertThat(decode("{'type':'Unsubscribe','payload':{'channels':[1]}}"))
        .isInstanceOf(AraCodec.Invalid.class);
    assertThat(decode("{'type':'Subscribe'}"))
        .isEqualTo(
            new AraCodec.Invalid(
                AraCodec.INVALID_MESSAGE,
                "Subscribe needs \"payload\": {\"channels\": [channel names]}, got nothing"));
  }

  @Test
  void anAckWhoseIdIsNoUuidIsInvalid() {
    assertThat(decode("{'type':'Ack','payload':{'notification_id':'n-1'}}"))
        .isEqualTo(
            new AraCodec.Invalid(
                AraCodec.INVALID_MESSAGE,
                "Ack needs \"payload\": {\"notification_id\": a notification's id (a UUID)}, "
                    + "got {\"notification_id\":\"n-1\"}"));
  }

  @Test
  void aLongOffendingValueIsQuotedOnlyInPart() {
    String channel = "x".repeat(500);
    AraCodec.Invalid invalid =
        (AraCodec.Invalid) decode("{'type':'Subscribe','payload':{'channels':'" + channel + "'}}");
    assertThat(invalid.message()).endsWith("...").hasSizeLessThan(200);
  }

  @Test
  void aBinaryMessageIsAnUnsupportedFormat() {
    assertThat(AraCodec.decode(Encoding.MSGPACK, new byte[] {(byte) 0x80}))
        .isEqualTo(
            new AraCodec.Invalid(
                AraCodec.UNSUPPORTED_FORMAT,
                "binary messages are not supported: send JSON as a text message"));
  }

  // ---- what devices receive

  private static Notification notification() {
    ObjectNode payload = Json.nodes().objectNode().put("order_id", "ORD-001");
    return Notification.create(
        Instant.parse("2026-11-22T08:47:16.558Z"),
        "order.created",
        payload,
        new Metadata(
            "order-service", Priority.HIGH, OptionalLong.of(3600), java.util.Optional.empty()));
  }

  @Test
  void aNotificationIsFlatWithItsTypeFirst() {
    Notification n = notification();

    JsonNode ara = parse(AraCodec.notification(n.encode()));

    assertThat(ara.fieldNames())
        .toIterable()
        .containsExactly("type", "id", "occurred_at", "event_type", "payload", "metadata");
    assertThat(ara.get("type").asText()).isEqualTo("notification");
    assertThat(ara.get("id").asText()).isEqualTo(n.id().toString());
    assertThat(ara.get("occurred_at").asText()).isEqualTo("2026-11-22T08:47:16.558Z");
    assertThat(ara.get("event_type").asText()).isEqualTo("order.created");
    assertThat(ara.get("payload")).isEqualTo(n.payload());
    assertThat(ara.get("metadata").get("source").asText()).isEqualTo("order-service");
    assertThat(ara.get("metadata").get("priority").asText()).isEqualTo("High");
    assertThat(ara.get("metadata").get("ttl").asLong()).isEqualTo(3600);
  }

  @Test
  void aChannelsNotificationKeepsItsPlaceInTheChannel() {
    byte[] stamped = Notification.stamp(notification().encode(), "orders", 42, "k3j9x0aa");

    JsonNode ara = parse(AraCodec.notification(stamped));

    assertThat(ara.get("type").asText()).isEqualTo("notification");
    assertThat(ara.get("channel").asText()).isEqualTo("orders");
    assertThat(ara.get("offset").asLong()).isEqualTo(42);
    assertThat(ara.get("epoch").asText()).isEqualTo("k3j9x0aa");
    assertThat(ara.get("event_type").asText()).isEqualTo("order.created");
  }

  @Test
  void theServersOtherMessagesHaveAraShapes() {
    UUID id = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    assertThat(text(AraCodec.subscribed(List.of("orders", "alerts"))))
        .isEqualTo("{\"type\":\"subscribed\",\"payload\":[\"orders\",\"alerts\"]}");
    assertThat(text(AraCodec.unsubscribed(List.of("orders"))))
        .isEqualTo("{\"type\":\"unsubscribed\",\"payload\":[\"orders\"]}");
    assertThat(text(AraCodec.pong())).isEqualTo("{\"type\":\"pong\"}");
    assertThat(text(AraCodec.heartbeat())).isEqualTo("{\"type\":\"heartbeat\"}");
    assertThat(text(AraCodec.acked(id)))
        .isEqualTo("{\"type\":\"acked\",\"notification_id\":\"" + id + "\"}");
    assertThat(text(AraCodec.error("VALIDATION_ERROR", "Invalid channel name")))
        .isEqualTo(
            "{\"type\":\"error\",\"code\":\"VALIDATION_ERROR\",\"message\":\"Invalid channel name\"}");
    assertThat(text(AraCodec.shutdown("Server maintenance", 60)))
        .isEqualTo(
            "{\"type\":\"shutdown\",\"reason\":\"Server maintenance\",\"reconnect_after_seconds\":60}");
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF8);
  }
}
