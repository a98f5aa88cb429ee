package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which protocol a WebSocket handshake chooses: {@code ?protocol=}, else the first subprotocol
 * offered that names one, else the server's default; a contradiction or an unknown name is refused.
 */
class AraProtocolChoiceTest {

  private static DeviceProtocol choose(String query, String offered, DeviceProtocol fallback) {
    return WebSocketUpgrades.protocol(
        query, offered.isEmpty() ? Optional.empty() : Optional.of(offered), fallback);
  }

  @Test
  void theQueryParameterChooses() {
    assertThat(choose("token=t&protocol=ara", "", DeviceProtocol.JSONRPC))
        .isEqualTo(DeviceProtocol.ARA);
    assertThat(choose("protocol=jsonrpc", "", DeviceProtocol.ARA))
        .isEqualTo(DeviceProtocol.JSONRPC);
    assertThat(choose("protocol=ARA", "", DeviceProtocol.JSONRPC)).isEqualTo(DeviceProtocol.ARA);
  }

  @Test
  void elseTheFirstSubprotocolThatNamesOne() {
    assertThat(choose("", "chat, ara, jsonrpc", DeviceProtocol.JSONRPC))
        .isEqualTo(DeviceProtocol.ARA);
    assertThat(choose("", "jsonrpc", DeviceProtocol.ARA)).isEqualTo(DeviceProtocol.JSONRPC);
  }

  @Test
  void elseTheServersDefault() {
    assertThat(choose("token=t", "", DeviceProtocol.ARA)).isEqualTo(DeviceProtocol.ARA);
    assertThat(choose("", "chat", DeviceProtocol.JSONRPC)).isEqualTo(DeviceProtocol.JSONRPC);
  }

  @Test
  void theQueryAndTheSubprotocolMayAgree() {
    assertThat(choose("protocol=ara", "ara", DeviceProtocol.JSONRPC)).isEqualTo(DeviceProtocol.ARA);
  }

  @Test
  void aContradictionIsRefusedNamingBoth() {
    assertThatThrownBy(() -> choose("protocol=jsonrpc", "ara", DeviceProtocol.JSONRPC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "protocol=jsonrpc contradicts the WebSocket subprotocol ara; name one protocol");
  }

  @Test
  void anUnknownProtocolIsRefusedNamingIt() {
    assertThatThrownBy(() -> choose("protocol=mqtt", "", DeviceProtocol.JSONRPC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("protocol must be jsonrpc or ara, got \"mqtt\"");
  }
}
