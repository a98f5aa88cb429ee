package dev.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseCodesTest {

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1014, 3000, 4001, 4999})
  void registeredAndPrivateUseCodesMayBeSent(int code) {
    assertThat(CloseCodes.isAllowedOnTheWire(code)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535, -1})
  void reservedAndLocalOnlyCodesMayNot(int code) {
    assertThat(CloseCodes.isAllowedOnTheWire(code)).isFalse();
  }

  @Test
  void aReasonThatFitsIsKept() {
    String reason = "x".repeat(123);
    assertThat(CloseCodes.fitReason(reason)).isSameAs(reason);
    assertThat(CloseCodes.fitReason("")).isEmpty();
  }

  @Test
  void aLongReasonIsCutTo123BytesWithoutSplittingACharacter() {
    assertThat(CloseCodes.fitReason("x".repeat(200))).isEqualTo("x".repeat(123));
    assertThat(CloseCodes.fitReason("é".repeat(100))).isEqualTo("é".repeat(61)); // 2 bytes each
    assertThat(CloseCodes.fitReason("☃".repeat(100))).isEqualTo("☃".repeat(41)); // 3 bytes each
    String faces = CloseCodes.fitReason("\ud83d\ude00".repeat(40)); // 4 bytes each, 2 chars
    assertThat(faces).isEqualTo("\ud83d\ude00".repeat(30));
    assertThat(faces.getBytes(StandardCharsets.UTF_8)).hasSize(120);
  }
}
