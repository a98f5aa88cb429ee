package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.rpc.CloseReason;
import dev.switchboard.websocket.CloseCodes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transports put the RPC layer's close codes on the wire as they are, with no table
 * between them: that holds only while each code the peer closes with is the RFC 6455 code of the
 * same meaning.
 */
class CloseCodesOnTheWireTest {

  @Test
  void theRpcLayersCodesAreTheRfc6455CodesOfTheSameMeaning() {
    assertThat(CloseReason.NORMAL).isEqualTo(CloseCodes.NORMAL);
    assertThat(CloseReason.GOING_AWAY).isEqualTo(CloseCodes.GOING_AWAY);
    assertThat(CloseReason.POLICY_VIOLATION).isEqualTo(CloseCodes.POLICY_VIOLATION);
    assertThat(CloseReason.MESSAGE_TOO_BIG).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    assertThat(CloseReason.CONNECTION_LOST).isEqualTo(CloseCodes.ABNORMAL);
  }

  @Test
  void everyCodeThePeerSendsIsAllowedInAWebSocketCloseFrame() {
    assertThat(
            List.of(
                CloseReason.NORMAL,
                CloseReason.GOING_AWAY,
                CloseReason.POLICY_VIOLATION,
                CloseReason.MESSAGE_TOO_BIG))
        .allMatch(CloseCodes::isAllowedOnTheWire);
    assertThat(CloseCodes.isAllowedOnTheWire(CloseReason.CONNECTION_LOST))
        .as("reported, never sent")
        .isFalse();
  }
}
