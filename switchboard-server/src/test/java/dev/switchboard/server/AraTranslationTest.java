package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Metadata;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Outgoing;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.rpc.TransportListener;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An Ara session's translation without a socket: each Ara message becomes one JSON-RPC request of
 * the device methods, each answer the Ara message that answers it, and notifications are rendered
 * in Ara's shape once for all Ara devices.
 */
class AraTranslationTest {

  private final AraDialect dialect = new AraDialect();
  private final List<JsonNode> requests = new ArrayList<>();

  private final TransportListener rpc =
      new TransportListener() {
        @Override
        public void receive(Encoding encoding, byte[] message) {
          assertThat(encoding).isEqualTo(Encoding.JSON);
          requests.add(PushHttp.parse(new String(message, StandardCharsets.UTF_8)));
        }

        @Override
        public void alive() {}

        @Override
        public void transportClosed(int code, String reason) {}

        @Override
        public void close(int code, String reason) {}
      };

  /** The device sends {@code singleQuotedJson}: the JSON-RPC request it became. */
  private JsonNode send(String singleQuotedJson) {
    dialect.receive(
        Encoding.JSON, PushHttp.json(singleQuotedJson).getBytes(StandardCharsets.UTF_8), rpc);
    return requests.getLast();
  }

  /** The RPC peer answers {@code request} with {@code singleQuotedAnswer}: what the device gets. */
  private Optional<String> answer(JsonNode request, String singleQuotedAnswer) {
    String response =
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + request.get("id")
            + ","
            + PushHttp.json(singleQuotedAnswer)
            + "}";
    return dialect
        .translate(Outgoing.rpc(Encoding.JSON, response.getBytes(StandardCharsets.UTF_8)))
        .map(m -> new String(m.bytes(), StandardCharsets.UTF_8));
  }

  @Test
  void subscribeBecomesTheSubscribeMethodAndItsAnswerSubscribed() {
    JsonNode request = send("{'type':'Subscribe','payload':{'channels':['orders','alerts']}}");

    assertThat(request.get("method").asText()).isEqualTo("subscribe");
    assertThat(request.get("params").get("channels").toString())
        .isEqualTo("[\"orders\",\"alerts\"]");
    assertThat(answer(request, "'result':{'subscribed':['orders','alerts'],'recovered':{}}"))
        .contains("{\"type\":\"subscribed\",\"payload\":[\"orders\",\"alerts\"]}");
  }

  @Test
  void unsubscribePingAndAckAnswerInAraShapes() {
    JsonNode unsubscribe = send("{'type':'Unsubscribe','payload':{'channels':['orders']}}");
    JsonNode ping = send("{'type':'Ping'}");
    UUID id = UUID.randomUUID();
    JsonNode ack = send("{'type':'Ack','payload':{'notification_id':'" + id + "'}}");

    assertThat(unsubscribe.get("method").asText()).isEqualTo("unsubscribe");
    assertThat(ping.get("method").asText()).isEqualTo("ping");
    assertThat(ack.get("method").asText()).isEqualTo("ack");
    assertThat(ack.get("params").get("notification_id").asText()).isEqualTo(id.toString());
    assertThat(answer(unsubscribe, "'result':{'unsubscribed':['orders']}"))
        .contains("{\"type\":\"unsubscribed\",\"payload\":[\"orders\"]}");
    assertThat(answer(ping, "'result':'pong'")).contains("{\"type\":\"pong\"}");
    assertThat(answer(ack, "'result':{'acked':true}"))
        .contains("{\"type\":\"acked\",\"notification_id\":\"" + id + "\"}");
  }

  @Test
  void aRefusalGetsAraCodeAndKeepsItsMessage() {
    JsonNode subscribe = send("{'type':'Subscribe','payload':{'channels':['bad name']}}");
    JsonNode ack = send("{'type':'Ack','payload':{'notification_id':'" + UUID.randomUUID() + "'}}");
    JsonNode flooding = send("{'type':'Ping'}");

    assertThat(answer(subscribe, "'error':{'code':-32602,'message':'channel bad name is bad'}"))
        .contains(
            "{\"type\":\"error\",\"code\":\"SUBSCRIPTION_ERROR\","
                + "\"message\":\"channel bad name is bad\"}");
    assertThat(answer(ack, "'error':{'code':-32011,'message':'not waiting'}"))
        .contains("{\"type\":\"error\",\"code\":\"INVALID_ACK\",\"message\":\"not waiting\"}");
    assertThat(answer(flooding, "'error':{'code':-32008,'message':'rate limited'}"))
        .contains(
            "{\"type\":\"error\",\"code\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"rate limited\"}");
  }

  @Test
  void anInvalidMessageTravelsAsAPingWhoseAnswerIsTheError() {
    JsonNode request = send("{'type':'Dance'}");

    assertThat(request.get("method").asText()).isEqualTo("ping");
    assertThat(answer(request, "'result':'pong'"))
        .contains(
            "{\"type\":\"error\",\"code\":\"INVALID_MESSAGE\",\"message\":\"unknown message type "
                + "\\\"Dance\\\": expected Subscribe, Unsubscribe, Ping or Ack\"}");
  }

  @Test
  void everyRequestHasItsOwnIdAndEachAnswerIsUsedOnce() {
    JsonNode first = send("{'type':'Ping'}");
    JsonNode second = send("{'type':'Ping'}");

    assertThat(first.get("id")).isNotEqualTo(second.get("id"));
    assertThat(answer(first, "'result':'pong'")).isPresent();
    assertThat(answer(first, "'result':'pong'")).as("answered already").isEmpty();
  }

  @Test
  void theShutdownNoticeBecomesAras() {
    Optional<Outgoing> ara = dialect.translate(Outgoing.rpc(Encoding.JSON, Shutdown.notice(7)));

    assertThat(ara.map(m -> new String(m.bytes(), StandardCharsets.UTF_8)))
        .contains(
            "{\"type\":\"shutdown\",\"reason\":\"server shutting down\","
                + "\"reconnect_after_seconds\":7}");
  }

  @Test
  void aServerMessageAraHasNoFormForIsNotSent() {
    byte[] cancel =
        "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":1}}"
            .getBytes(StandardCharsets.UTF_8);

    assertThat(dialect.translate(Outgoing.rpc(Encoding.JSON, cancel))).isEmpty();
  }

  @Test
  void aNotificationIsRenderedOnceForAllAraDevicesAndKeepsItsPlace() {
    Notification n =
        Notification.create(
            Instant.now(), "order.created", Json.nodes().objectNode(), Metadata.of("api"));
    Outgoing sent = Outgoing.notification(n.encode(), Priority.HIGH);
    Position atAlice = new Position(new StreamId.Inbox("alice"), 3, "e1");

    Outgoing toAlice = dialect.translate(sent.at(atAlice)).orElseThrow();
    Outgoing toBob = new AraDialect().translate(sent).orElseThrow();

    assertThat(
            PushHttp.parse(new String(toAlice.bytes(), StandardCharsets.UTF_8))
                .get("type")
                .asText())
        .isEqualTo("notification");
    assertThat(toBob.bytes()).as("one rendering for every Ara device").isSameAs(toAlice.bytes());
    assertThat(toAlice.position()).contains(atAlice);
    assertThat(toAlice.priority()).contains(Priority.HIGH);
  }

  @Test
  void aHeartbeatGoesOutAtEveryPingAsItIs() {
    Outgoing beat = dialect.heartbeat().orElseThrow();

    assertThat(new String(beat.bytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"heartbeat\"}");
    assertThat(dialect.translate(beat)).contains(beat);
    assertThat(Dialect.of(DeviceProtocol.JSONRPC).heartbeat()).isEmpty();
  }
}
