package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DeviceMessages}: the JSON-RPC dialog of WebSocket and WebTransport devices. */
class LoadDeviceMessagesTest {

  private final List<String> sent = new ArrayList<>();
  private final List<String> heard = new ArrayList<>();
  private final List<String> delivered = new ArrayList<>();

  private final DeviceMessages.Dialog dialog =
      new DeviceMessages.Dialog(
          new DeviceListener() {
            @Override
            public void delivered(String notificationId, long sentNanos, long receivedNanos) {
              delivered.add(notificationId + " " + sentNanos + " " + receivedNanos);
            }

            @Override
            public void dropped(String transport, String reason) {
              heard.add("dropped " + reason);
            }
          },
          sent::add,
          new DeviceMessages.Dialog.Events() {
            @Override
            public void ready() {
              heard.add("ready");
            }

            @Override
            public void refused(String why) {
              heard.add("refused " + why);
            }
          });

  @Test
  void subscribesAndIsReadyAtTheResult() {
    dialog.open(List.of("news", "a.b"), false);
    assertThat(sent)
        .containsExactly(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"subscribe\",\"params\":{\"channels\":[\"news\",\"a.b\"]}}");
    assertThat(heard).isEmpty();

    dialog.onText("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"subscribed\":[\"news\"]}}", 5);
    assertThat(heard).containsExactly("ready");
  }

  @Test
  void aRefusedSubscribeSaysWhy() {
    dialog.open(List.of("news"), false);
    dialog.onText(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"too many\"}}", 5);
    assertThat(heard).containsExactly("refused the server refused: -32602 too many");
  }

  @Test
  void withoutChannelsItIsReadyAtOnceOrAtPong() {
    dialog.open(List.of(), false);
    assertThat(heard).containsExactly("ready");
    assertThat(sent).isEmpty();

    heard.clear();
    DeviceMessages.Dialog pinging =
        new DeviceMessages.Dialog(
            null,
            sent::add,
            new DeviceMessages.Dialog.Events() {
              @Override
              public void ready() {
                heard.add("ready");
              }

              @Override
              public void refused(String why) {
                heard.add("refused " + why);
              }
            });
    pinging.open(List.of(), true);
    assertThat(sent).containsExactly("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
    pinging.onText("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"pong\"}", 1);
    assertThat(heard).containsExactly("ready");
  }

  @Test
  void notificationsAreDeliveredWithTheirIdAndSentNanos() {
    dialog.onText(
        "{\"jsonrpc\":\"2.0\",\"method\":\"notification\",\"params\":{\"id\":\"n1\","
            + "\"event_type\":\"t\",\"payload\":{\"sent_nanos\":123}}}",
        456);
    dialog.onText(
        "{\"jsonrpc\":\"2.0\",\"method\":\"notification\",\"params\":{\"id\":\"n2\",\"payload\":{}}}",
        789);
    assertThat(delivered).containsExactly("n1 123 456", "n2 -1 789");
  }

  @Test
  void answersTheServersRequestsAndIgnoresItsOtherNotifications() {
    dialog.onText("{\"jsonrpc\":\"2.0\",\"id\":\"s-4\",\"method\":\"rpc.ping\"}", 1);
    dialog.onText("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"rpc.other\",\"params\":{}}", 1);
    dialog.onText("{\"jsonrpc\":\"2.0\",\"method\":\"shutdown\",\"params\":{}}", 1);
    assertThat(sent)
        .containsExactly(
            "{\"jsonrpc\":\"2.0\",\"id\":\"s-4\",\"result\":\"pong\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
    assertThat(heard).isEmpty();
    assertThat(delivered).isEmpty();
  }

  @Test
  void whatIsNotJsonRefusesADeviceNotYetReadyAndIsIgnoredAfter() {
    dialog.open(List.of("news"), false);
    dialog.onText("hello", 1);
    assertThat(heard).singleElement().asString().startsWith("refused not JSON");

    heard.clear();
    dialog.onText("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", 1);
    dialog.onText("[1,2]", 1);
    assertThat(heard).containsExactly("ready");
  }
}
