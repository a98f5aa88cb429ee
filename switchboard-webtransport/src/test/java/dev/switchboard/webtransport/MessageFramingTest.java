package dev.switchboard.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Messages framed on a stream come out whole and in order, however the stream splits them. */
class MessageFramingTest {

  private static List<byte[]> splitAndDecode(MessageFraming framing, byte[] stream, int chunk) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < stream.length; at += chunk) {
      out.addAll(
          framing.decode(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + chunk))));
    }
    return out;
  }

  @Property
  void lengthPrefixedMessagesSurviveAnySplit(
      @ForAll @Size(max = 20) List<@Size(max = 300) byte[]> messages,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    MessageFraming writer = MessageFraming.lengthPrefixed(1 << 20);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    messages.forEach(m -> stream.writeBytes(writer.encode(m)));

    List<byte[]> read =
        splitAndDecode(MessageFraming.lengthPrefixed(1 << 20), stream.toByteArray(), chunk);

    assertThat(read).hasSameSizeAs(messages);
    for (int i = 0; i < read.size(); i++) {
      assertThat(read.get(i)).isEqualTo(messages.get(i));
    }
  }

  @Property
  void linesSurviveAnySplit(
      @ForAll @Size(max = 20)
          List<
                  @net.jqwik.api.constraints.AlphaChars
                  @net.jqwik.api.constraints.StringLength(min = 1, max = 80) String>
              texts,
      @ForAll @IntRange(min = 1, max = 16) int chunk) {
    MessageFraming writer = MessageFraming.lines(1 << 20);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    texts.forEach(t -> stream.writeBytes(writer.encode(t.getBytes(StandardCharsets.UTF_8))));

    List<byte[]> read = splitAndDecode(MessageFraming.lines(1 << 20), stream.toByteArray(), chunk);

    assertThat(read.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList())
        .containsExactlyElementsOf(texts);
  }

  @Test
  void aMessageOverTheLimitIsRefusedNamingIt() {
    assertThatThrownBy(() -> MessageFraming.lines(8).decode("0123456789".getBytes()))
        .hasMessageContaining("longer than 8 bytes");
    assertThatThrownBy(() -> MessageFraming.lengthPrefixed(8).decode(new byte[] {0x40, 0x10, 1, 2}))
        .hasMessageContaining("16 bytes is longer than 8");
    assertThat(MessageFraming.lines(8).decode("\n\n{}\n".getBytes())).hasSize(1);
  }
}
