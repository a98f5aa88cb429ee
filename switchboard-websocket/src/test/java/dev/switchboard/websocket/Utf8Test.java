package dev.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Utf8Test {

  private static boolean valid(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Utf8.isValid(b, b.length);
  }

  @Test
  void asciiAndMultiByteCharactersAreValid() {
    byte[] text = "{\"x\":\"h\u00e9llo \u2603 \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.isValid(text, text.length)).isTrue();
  }

  @Test
  void malformedSequencesAreInvalid() {
    assertThat(valid(0xFF)).as("never a UTF-8 byte").isFalse();
    assertThat(valid(0xC3)).as("truncated").isFalse();
    assertThat(valid(0xC0, 0xAF)).as("overlong").isFalse();
    assertThat(valid(0xED, 0xA0, 0x80)).as("surrogate").isFalse();
    assertThat(valid(0xF4, 0x90, 0x80, 0x80)).as("past U+10FFFF").isFalse();
    assertThat(valid(0xE2, 0x28, 0xA1)).as("bad continuation").isFalse();
  }

  @Property(tries = 2000)
  void agreesWithTheJdksStrictDecoder(@ForAll byte[] bytes) {
    boolean jdk;
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      jdk = true;
    } catch (CharacterCodingException e) {
      jdk = false;
    }
    assertThat(Utf8.isValid(bytes, bytes.length)).isEqualTo(jdk);
  }
}
