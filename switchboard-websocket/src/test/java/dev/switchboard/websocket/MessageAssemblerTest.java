package dev.switchboard.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.jsonrpc.Encoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anUnfragmentedMessageIsCompleteAtOnce() {
    MessageAssembler assembler = new MessageAssembler(10);
    var result = assembler.add(Encoding.JSON, true, bytes("[1,2]"), 5, true);
    assertThat(result).isInstanceOf(MessageAssembler.Complete.class);
    assertThat(new String(((MessageAssembler.Complete) result).bytes(), StandardCharsets.UTF_8))
        .isEqualTo("[1,2]");
  }

  @Test
  void fragmentsJoinIntoOneMessageWithTheFirstFramesEncoding() {
    MessageAssembler assembler = new MessageAssembler(100);
    assertThat(assembler.add(Encoding.MSGPACK, true, bytes("ab"), 2, false))
        .isInstanceOf(MessageAssembler.Incomplete.class);
    assertThat(assembler.add(Encoding.JSON, false, bytes("cd"), 2, false))
        .isInstanceOf(MessageAssembler.Incomplete.class);
    var done = (MessageAssembler.Complete) assembler.add(Encoding.JSON, false, bytes("e"), 1, true);
    assertThat(done.encoding()).isEqualTo(Encoding.MSGPACK);
    assertThat(new String(done.bytes(), StandardCharsets.UTF_8)).isEqualTo("abcde");
  }

  @Test
  void aMessageOverTheLimitIsTooBigWhetherWholeOrFragmented() {
    MessageAssembler assembler = new MessageAssembler(4);
    assertThat(assembler.add(Encoding.JSON, true, bytes("12345"), 5, true))
        .isInstanceOf(MessageAssembler.TooBig.class);
    assembler.add(Encoding.JSON, true, bytes("123"), 3, false);
    var tooBig = assembler.add(Encoding.JSON, false, bytes("45"), 2, true);
    assertThat(tooBig).isInstanceOf(MessageAssembler.TooBig.class);
    assertThat(((MessageAssembler.TooBig) tooBig).reason()).contains("5").contains("4 bytes");
  }

  @Test
  void aMessageExactlyAtTheLimitIsAccepted() {
    MessageAssembler assembler = new MessageAssembler(4);
    assembler.add(Encoding.JSON, true, bytes("12"), 2, false);
    assertThat(assembler.add(Encoding.JSON, false, bytes("34"), 2, true))
        .isInstanceOf(MessageAssembler.Complete.class);
  }

  @Test
  void aLimitBelowOneByteIsRefused() {
    assertThatThrownBy(() -> new MessageAssembler(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes")
        .hasMessageContaining("0");
  }
}
