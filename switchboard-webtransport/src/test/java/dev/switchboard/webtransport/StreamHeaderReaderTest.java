package dev.switchboard.webtransport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StreamHeaderReaderTest {
  @Test
  void anHttp3HeadersFrameIsNotAWebTransportStream() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {0x01, 0x10, 0x00});
    assertThat(StreamHeaderReader.bidirectional().read(in)).isEqualTo(new StreamHeader.Other(1));
  }

  @Test
  void theUnidirectionalTypeIsChecked() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {0x40, 0x54, 0x04, 'x'});
    assertThat(StreamHeaderReader.unidirectional().read(in))
        .isEqualTo(new StreamHeader.WebTransport(4));
    assertThat(in.readableBytes()).isEqualTo(1);
  }

  @Property
  void aHeaderSplitAnywhereYieldsItsSessionAndLeavesThePayload(
      @ForAll @LongRange(min = 0, max = 1L << 50) long sessionId,
      @ForAll @IntRange(min = 1, max = 12) int chunk) {
    ByteBuf in = Unpooled.buffer();
    QuicVarint.write(in, StreamHeader.BIDI_SIGNAL);
    QuicVarint.write(in, sessionId);
    in.writeBytes(new byte[] {'h', 'i'});
    StreamHeaderReader reader = StreamHeaderReader.bidirectional();
    StreamHeader result = new StreamHeader.Incomplete();
    while (result instanceof StreamHeader.Incomplete) {
      result = reader.read(in.readSlice(Math.min(chunk, in.readableBytes())).duplicate());
      if (result instanceof StreamHeader.WebTransport) {
        break;
      }
    }
    assertThat(result).isEqualTo(new StreamHeader.WebTransport(sessionId));
  }

  @Test
  void theDatagramPrefixIsTheQuarterStreamId() {
    ByteBuf d = DatagramPrefix.encode(ByteBufAllocator.DEFAULT, 256, new byte[] {7});
    assertThat(d.getByte(0)).isEqualTo((byte) 0x40); // 64 needs two bytes
    assertThat(d.getByte(1)).isEqualTo((byte) 64);
    assertThat(DatagramPrefix.readSessionId(d)).isEqualTo(256);
    assertThat(d.readByte()).isEqualTo((byte) 7);
    d.release();
    assertThat(DatagramPrefix.readSessionId(Unpooled.buffer())).isEqualTo(-1);
  }
}
