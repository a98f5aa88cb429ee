package dev.switchboard.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class QuicVarintTest {
  @Test
  void encodesTheExamplesOfRfc9000() {
    assertThat(QuicVarint.encode(151_288_809_941_952_652L))
        .containsExactly(0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c);
    assertThat(QuicVarint.encode(494_878_333L)).containsExactly(0x9d, 0x7f, 0x3e, 0x7d);
    assertThat(QuicVarint.encode(15_293)).containsExactly(0x7b, 0xbd);
    assertThat(QuicVarint.encode(37)).containsExactly(0x25);
  }

  @Test
  void decodesANonMinimalEncoding() {
    assertThat(QuicVarint.read(Unpooled.wrappedBuffer(new byte[] {0x40, 0x25}))).isEqualTo(37);
  }

  @Test
  void rejectsValuesOutsideTheRange() {
    assertThatThrownBy(() -> QuicVarint.length(-1)).hasMessageContaining("-1");
    assertThatThrownBy(() -> QuicVarint.length(QuicVarint.MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wholeReadConsumesNothingWhenBytesAreMissing() {
    ByteBuf partial = Unpooled.wrappedBuffer(new byte[] {(byte) 0x9d, 0x7f});
    assertThat(QuicVarint.read(partial)).isEqualTo(-1);
    assertThat(partial.readerIndex()).isZero();
  }

  @Property
  void writeAndEncodeAgreeAndRoundTrip(@ForAll @LongRange(min = 0, max = (1L << 62) - 1) long v) {
    ByteBuf out = Unpooled.buffer();
    QuicVarint.write(out, v);
    byte[] written = new byte[out.readableBytes()];
    out.getBytes(0, written);
    assertThat(written).containsExactly(QuicVarint.encode(v));
    assertThat(written).hasSize(QuicVarint.length(v));
    assertThat(QuicVarint.read(out)).isEqualTo(v);
    assertThat(out.isReadable()).isFalse();
  }

  @Property
  void incrementalReaderDecodesAcrossAnySplit(
      @ForAll @LongRange(min = 0, max = (1L << 62) - 1) long v,
      @ForAll @IntRange(min = 0, max = 8) int cut) {
    byte[] bytes = QuicVarint.encode(v);
    int at = Math.min(cut, bytes.length);
    QuicVarint.Reader reader = new QuicVarint.Reader();
    long first = reader.read(Unpooled.wrappedBuffer(bytes, 0, at));
    if (at == bytes.length) {
      assertThat(first).isEqualTo(v);
      return;
    }
    assertThat(first).isEqualTo(-1);
    assertThat(reader.inProgress()).isEqualTo(at > 0);
    ByteBuf rest = Unpooled.wrappedBuffer(bytes, at, bytes.length - at);
    assertThat(reader.read(rest)).isEqualTo(v);
    assertThat(rest.isReadable()).isFalse();
  }

  @Property
  void readerStopsAtTheEndOfItsVarint(
      @ForAll @LongRange(min = 0, max = 1L << 40) long a,
      @ForAll @LongRange(min = 0, max = 70) long b) {
    ByteBuf in = Unpooled.wrappedBuffer(QuicVarint.encode(a), QuicVarint.encode(b));
    QuicVarint.Reader reader = new QuicVarint.Reader();
    assertThat(reader.read(in)).isEqualTo(a);
    assertThat(reader.read(in)).isEqualTo(b);
  }
}
