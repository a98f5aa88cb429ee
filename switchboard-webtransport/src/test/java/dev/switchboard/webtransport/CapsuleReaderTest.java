package dev.switchboard.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class CapsuleReaderTest {
  private final CapsuleReader reader = new CapsuleReader();

  @Test
  void readsACloseCapsuleAfterAnUnknownGreaseCapsule() {
    ByteBuf in = Unpooled.buffer();
    capsule(in, 0x17a4c0ffeeL, new byte[] {1, 2, 3});
    in.writeBytes(closeBytes(4242, "bye"));
    assertThat(reader.read(in))
        .containsExactly(new Capsule.Unknown(0x17a4c0ffeeL, 3), new Capsule.Close(4242, "bye"));
  }

  @Test
  void readsDrainAndEmptyUnknownCapsules() {
    ByteBuf in = Unpooled.buffer();
    capsule(in, Capsule.DRAIN_TYPE, new byte[0]);
    capsule(in, 0x29, new byte[0]);
    assertThat(reader.read(in)).containsExactly(new Capsule.Drain(), new Capsule.Unknown(0x29, 0));
  }

  @Test
  void aCloseShorterThanItsCodeIsMalformed() {
    ByteBuf in = Unpooled.buffer();
    capsule(in, Capsule.CLOSE_TYPE, new byte[] {0, 0});
    assertThatThrownBy(() -> reader.read(in))
        .isInstanceOf(MalformedCapsuleException.class)
        .hasMessageContaining("length 2");
  }

  @Test
  void aCloseReasonOverTheLimitIsMalformed() {
    ByteBuf in = Unpooled.buffer();
    capsule(in, Capsule.CLOSE_TYPE, new byte[4 + 1025]);
    assertThatThrownBy(() -> reader.read(in)).hasMessageContaining("1029");
  }

  @Test
  void aCloseReasonThatIsNotUtf8IsMalformed() {
    ByteBuf in = Unpooled.buffer();
    capsule(in, Capsule.CLOSE_TYPE, new byte[] {0, 0, 0, 1, (byte) 0xff});
    assertThatThrownBy(() -> reader.read(in)).hasMessageContaining("UTF-8");
  }

  @Test
  void aDrainWithAPayloadIsMalformed() {
    ByteBuf in = Unpooled.buffer();
    capsule(in, Capsule.DRAIN_TYPE, new byte[] {1});
    assertThatThrownBy(() -> reader.read(in)).isInstanceOf(MalformedCapsuleException.class);
  }

  @Test
  void dataAfterACloseIsMalformed() {
    ByteBuf in = Unpooled.wrappedBuffer(closeBytes(0, ""), new byte[] {0x29});
    assertThatThrownBy(() -> reader.read(in)).hasMessageContaining("after");
  }

  @Test
  void aCapsuleCutShortIsInProgress() {
    byte[] close = closeBytes(1, "partial");
    reader.read(Unpooled.wrappedBuffer(close, 0, 3));
    assertThat(reader.inProgress()).isTrue();
  }

  @Test
  void theCloseReasonIsCheckedAtConstruction() {
    assertThatThrownBy(() -> new Capsule.Close(0, "é".repeat(513)))
        .hasMessageContaining("1026")
        .hasMessageContaining("1024");
  }

  @Property
  void capsulesSplitAnywhereReadTheSame(
      @ForAll int code,
      @ForAll @StringLength(max = 200) String reason,
      @ForAll @IntRange(min = 0, max = 300) int unknownLength,
      @ForAll @IntRange(min = 1, max = 50) int chunk) {
    Capsule.Close close;
    try {
      close = new Capsule.Close(code, reason);
    } catch (IllegalArgumentException tooLong) {
      return;
    }
    ByteBuf whole = Unpooled.buffer();
    capsule(whole, 0x2a, new byte[unknownLength]);
    whole.writeBytes(closeBytes(close.code(), close.reason()));
    List<Capsule> read = new ArrayList<>();
    CapsuleReader split = new CapsuleReader();
    while (whole.isReadable()) {
      read.addAll(split.read(whole.readSlice(Math.min(chunk, whole.readableBytes()))));
    }
    // A reason with unpaired surrogates is not valid UTF-8 once encoded: compare with what UTF-8
    // keeps.
    String kept = new String(reason.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(read)
        .containsExactly(new Capsule.Unknown(0x2a, unknownLength), new Capsule.Close(code, kept));
  }

  private static byte[] closeBytes(int code, String reason) {
    ByteBuf out = Capsules.encode(ByteBufAllocator.DEFAULT, new Capsule.Close(code, reason));
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    out.release();
    return bytes;
  }

  private static void capsule(ByteBuf out, long type, byte[] payload) {
    QuicVarint.write(out, type);
    QuicVarint.write(out, payload.length);
    out.writeBytes(payload);
  }
}
