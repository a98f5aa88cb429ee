package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwitchboardDevicesTest {

  private static final DeviceTokens TOKENS =
      new DeviceTokens(
          "0123456789abcdef0123456789abcdef",
          Clock.fixed(Instant.ofEpochSecond(1_000_000), ZoneOffset.UTC),
          Duration.ofHours(1));

  private final List<String> sent = new ArrayList<>();
  private final DeviceSession session = new SwitchboardDevices(TOKENS).newSession("u3", "bench");

  @Test
  void subscribesOnOpenAndIsReadyWhenTheChannelIsGranted() {
    session.onOpen(sent::add);

    assertThat(sent)
        .containsExactly(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"subscribe\",\"params\":{\"channels\":[\"bench\"]}}");
    assertThat(
            session.onText(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"subscribed\":[\"bench\"]}}",
                sent::add))
        .isEqualTo(DeviceEvent.SUBSCRIBED);
  }

  @Test
  void aRefusedSubscriptionSaysWhy() {
    DeviceEvent event =
        session.onText(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"too many\"}}",
            sent::add);

    assertThat(event).isInstanceOf(DeviceEvent.Refused.class);
    assertThat(((DeviceEvent.Refused) event).why()).contains("too many");
  }

  @Test
  void aNotificationWithOurPayloadIsADelivery() {
    String notification =
        "{\"jsonrpc\":\"2.0\",\"method\":\"notification\",\"params\":{\"id\":\"n1\","
            + "\"occurred_at\":\"2026-01-01T00:00:00Z\",\"event_type\":\"bench\",\"payload\":"
            + PushPayload.of(9, 123, 64)
            + ",\"metadata\":{\"source\":\"api\",\"priority\":\"Normal\"}}}";

    assertThat(session.onText(notification, sent::add)).isEqualTo(new DeviceEvent.Delivery(9, 123));
    assertThat(sent).isEmpty();
  }

  @Test
  void answersTheServersPingWithTheSameId() {
    assertThat(
            session.onText(
                "{\"jsonrpc\":\"2.0\",\"id\":\"s-4\",\"method\":\"rpc.ping\"}", sent::add))
        .isEqualTo(DeviceEvent.CONTROL);
    assertThat(session.onText("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"rpc.other\"}", sent::add))
        .isEqualTo(DeviceEvent.CONTROL);

    assertThat(sent)
        .containsExactly(
            "{\"jsonrpc\":\"2.0\",\"id\":\"s-4\",\"result\":\"pong\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
  }

  @Test
  void otherNotificationsAreOnlyNoted() {
    assertThat(
            session.onText(
                "{\"jsonrpc\":\"2.0\",\"method\":\"shutdown\",\"params\":{}}", sent::add))
        .isEqualTo(DeviceEvent.CONTROL);
    assertThat(sent).isEmpty();
  }

  @Test
  void somethingThatIsNotJsonIsRefused() {
    assertThat(session.onText("hello", sent::add)).isInstanceOf(DeviceEvent.Refused.class);
  }

  @Test
  void connectsWithItsTokenInTheQuery() {
    assertThat(new SwitchboardDevices(TOKENS).path("u3"))
        .isEqualTo("/ws?token=" + TOKENS.token("u3"));
  }
}
