package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketIoDevicesTest {

  private final List<String> sent = new ArrayList<>();
  private final DeviceSession session = new SocketIoDevices().newSession("u7", "bench");

  @Test
  void connectsWithItsUserThenSubscribesWithAnAcknowledgement() {
    session.onOpen(sent::add);
    assertThat(sent).isEmpty();

    assertThat(
            session.onText(
                "0{\"sid\":\"a\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000}",
                sent::add))
        .isEqualTo(DeviceEvent.CONTROL);
    assertThat(session.onText("40{\"sid\":\"b\"}", sent::add)).isEqualTo(DeviceEvent.CONTROL);
    assertThat(session.onText("431[{\"subscribed\":[\"bench\"]}]", sent::add))
        .isEqualTo(DeviceEvent.SUBSCRIBED);

    assertThat(sent)
        .containsExactly("40{\"user\":\"u7\"}", "421[\"subscribe\",{\"channels\":[\"bench\"]}]");
  }

  @Test
  void answersThePingOfEngineIo4() {
    assertThat(session.onText("2", sent::add)).isEqualTo(DeviceEvent.CONTROL);

    assertThat(sent).containsExactly("3");
  }

  @Test
  void anEventWithOurPayloadIsADelivery() {
    DeviceEvent event =
        session.onText("42[\"notification\"," + PushPayload.of(5, 99, 64) + "]", sent::add);

    assertThat(event).isEqualTo(new DeviceEvent.Delivery(5, 99));
    assertThat(sent).isEmpty();
  }

  @Test
  void refusalsAndEndsSayWhat() {
    assertThat(session.onText("44{\"message\":\"not authorized\"}", sent::add))
        .isEqualTo(new DeviceEvent.Refused("connect refused: 44{\"message\":\"not authorized\"}"));
    assertThat(session.onText("41", sent::add)).isInstanceOf(DeviceEvent.Refused.class);
    assertThat(session.onText("1", sent::add)).isInstanceOf(DeviceEvent.Refused.class);
    assertThat(session.onText("431[{\"subscribed\":[]}]", sent::add))
        .isInstanceOf(DeviceEvent.Refused.class);
    assertThat(session.onText("42[\"other\",{}]", sent::add))
        .isInstanceOf(DeviceEvent.Refused.class);
  }

  @Test
  void connectsOverTheWebSocketTransportOnly() {
    assertThat(new SocketIoDevices().path("u1")).isEqualTo("/socket.io/?EIO=4&transport=websocket");
  }
}
