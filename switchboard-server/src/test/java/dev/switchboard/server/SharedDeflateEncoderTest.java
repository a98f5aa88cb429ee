package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.Outgoing;
import dev.switchboard.gateway.Priority;
import dev.switchboard.jsonrpc.Encoding;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The sending half of permessage-deflate, without sockets: which frames it compresses, that the
 * result inflates alone, and that a message sent on many connections is deflated once.
 */
class SharedDeflateEncoderTest {

  private static final int MIN = 1024;
  private static final byte[] JSON = json(4096);

  @Test
  void aMessageOfTheMinimumSizeGoesOutCompressedAndInflatesAlone() throws DataFormatException {
    EmbeddedChannel channel = new EmbeddedChannel(new SharedDeflateEncoder(MIN));

    WebSocketFrame sent = write(channel, frameOf(Outgoing.notification(JSON, Priority.HIGH)));

    assertThat(sent).isInstanceOf(TextWebSocketFrame.class);
    assertThat(sent.rsv()).as("RSV1").isEqualTo(4);
    assertThat(sent.isFinalFragment()).isTrue();
    byte[] payload = ByteBufUtil.getBytes(sent.content());
    assertThat(payload.length).isLessThan(JSON.length / 2);
    assertThat(inflate(payload)).isEqualTo(JSON);
    sent.release();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void aMessageSentOnManyConnectionsIsDeflatedOnceAndTheSameBytesGoOutOnEach() {
    Outgoing message = Outgoing.notification(JSON, Priority.NORMAL);
    long before = MessageDeflater.deflatedCount();

    byte[] first = null;
    for (int i = 0; i < 50; i++) {
      EmbeddedChannel channel = new EmbeddedChannel(new SharedDeflateEncoder(MIN));
      WebSocketFrame sent = write(channel, frameOf(message));
      assertThat(sent.rsv()).isEqualTo(4);
      byte[] payload = sent.content().array();
      if (first == null) {
        first = payload;
      }
      assertThat(payload).as("connection %d sends the shared array", i).isSameAs(first);
      sent.release();
    }
    assertThat(MessageDeflater.deflatedCount() - before).isEqualTo(1);
  }

  @Test
  void aMessageUnderTheMinimumGoesOutAsItIs() {
    EmbeddedChannel channel = new EmbeddedChannel(new SharedDeflateEncoder(MIN));
    TextWebSocketFrame small = frameOf(Outgoing.notification(json(MIN - 1), Priority.HIGH));

    WebSocketFrame sent = write(channel, small);

    assertThat(sent).isSameAs(small);
    assertThat(sent.rsv()).isZero();
    sent.release();
  }

  @Test
  void binaryMessagesStayBinary() throws DataFormatException {
    EmbeddedChannel channel = new EmbeddedChannel(new SharedDeflateEncoder(MIN));
    Outgoing message = Outgoing.rpc(Encoding.MSGPACK, JSON);

    WebSocketFrame sent =
        write(channel, new BinaryWebSocketFrame(true, 0, new OutgoingBytes(message)));

    assertThat(sent).isInstanceOf(BinaryWebSocketFrame.class);
    assertThat(sent.rsv()).isEqualTo(4);
    assertThat(inflate(ByteBufUtil.getBytes(sent.content()))).isEqualTo(JSON);
    sent.release();
  }

  @Test
  void aFrameOverOtherBytesIsCompressedForItsConnectionAlone() throws DataFormatException {
    EmbeddedChannel channel = new EmbeddedChannel(new SharedDeflateEncoder(MIN));

    WebSocketFrame sent =
        write(channel, new TextWebSocketFrame(true, 0, Unpooled.copiedBuffer(JSON)));

    assertThat(sent.rsv()).isEqualTo(4);
    assertThat(inflate(ByteBufUtil.getBytes(sent.content()))).isEqualTo(JSON);
    sent.release();
  }

  @Test
  void fragmentedAndAlreadyCompressedFramesGoOutAsTheyAre() {
    EmbeddedChannel channel = new EmbeddedChannel(new SharedDeflateEncoder(MIN));
    TextWebSocketFrame first = new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer(JSON));
    ContinuationWebSocketFrame last =
        new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer(JSON));
    TextWebSocketFrame compressed = new TextWebSocketFrame(true, 4, Unpooled.copiedBuffer(JSON));

    assertThat(write(channel, first)).isSameAs(first);
    assertThat(write(channel, last)).isSameAs(last);
    assertThat(write(channel, compressed)).isSameAs(compressed);
    first.release();
    last.release();
    compressed.release();
  }

  @Test
  void aPartOfAMessageIsNotTakenForTheMessage() throws DataFormatException {
    EmbeddedChannel channel = new EmbeddedChannel(new SharedDeflateEncoder(MIN));
    Outgoing message = Outgoing.notification(JSON, Priority.HIGH);
    long before = MessageDeflater.deflatedCount();

    WebSocketFrame sent =
        write(channel, new TextWebSocketFrame(true, 0, new OutgoingBytes(message).slice(0, 2048)));

    assertThat(inflate(ByteBufUtil.getBytes(sent.content()))).isEqualTo(Arrays.copyOf(JSON, 2048));
    assertThat(MessageDeflater.deflatedCount() - before).isEqualTo(1);
    assertThat(message.compressed(bytes -> new byte[0]))
        .as("the message's own compressed form was not made from the part")
        .isEmpty();
    sent.release();
  }

  @Test
  void aDeflatedMessageNeverEndsTheStreamAndAnEmptyOneIsOneEmptyBlock() throws DataFormatException {
    byte[] random = new byte[200 << 10]; // incompressible, larger than the kept buffer
    new Random(7).nextBytes(random);

    assertThat(inflate(MessageDeflater.deflate(random))).isEqualTo(random);
    assertThat(MessageDeflater.deflate(new byte[0])).containsExactly(0x00);
    assertThat(inflate(MessageDeflater.deflate(JSON))).isEqualTo(JSON);
  }

  @Test
  void theHandshakeAnswersWithNoContextTakeoverBothWays() {
    WebSocketServerExtension accepted =
        PerMessageDeflate.handshaker(MIN, 1 << 20)
            .handshakeExtension(
                new WebSocketExtensionData(
                    "permessage-deflate",
                    Collections.singletonMap("client_max_window_bits", null)));

    assertThat(accepted).isNotNull();
    assertThat(accepted.newReponseData().parameters())
        .containsOnlyKeys("server_no_context_takeover", "client_no_context_takeover");
    assertThat(accepted.newExtensionEncoder()).isInstanceOf(SharedDeflateEncoder.class);
  }

  @Test
  void anOfferThatLimitsTheServersWindowIsDeclined() {
    assertThat(
            PerMessageDeflate.handshaker(MIN, 1 << 20)
                .handshakeExtension(
                    new WebSocketExtensionData(
                        "permessage-deflate", Map.of("server_max_window_bits", "10"))))
        .isNull();
  }

  private static TextWebSocketFrame frameOf(Outgoing message) {
    return new TextWebSocketFrame(true, 0, Unpooled.unreleasableBuffer(new OutgoingBytes(message)));
  }

  private static WebSocketFrame write(EmbeddedChannel channel, WebSocketFrame frame) {
    assertThat(channel.writeOutbound(frame.retain())).isTrue();
    WebSocketFrame out = channel.readOutbound();
    frame.release();
    return out;
  }

  /**
   * Inflates {@code payload} as a client that keeps no context does: a new inflater, the tail put
   * back; fails when the data refers to anything before it or ends the stream.
   */
  static byte[] inflate(byte[] payload) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    try {
      byte[] input = Arrays.copyOf(payload, payload.length + 4);
      input[payload.length + 2] = (byte) 0xFF;
      input[payload.length + 3] = (byte) 0xFF;
      inflater.setInput(input);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16 << 10];
      while (true) {
        int n = inflater.inflate(buffer);
        out.write(buffer, 0, n);
        assertThat(inflater.finished()).as("a final block (BFINAL) was sent").isFalse();
        if (n == 0) {
          if (inflater.needsInput()) {
            return out.toByteArray();
          }
          throw new DataFormatException("the inflater is stuck");
        }
      }
    } finally {
      inflater.end();
    }
  }

  /** A JSON object of about {@code bytes} bytes, varied enough to compress about 3:1. */
  static byte[] json(int bytes) {
    Random random = new Random(bytes);
    StringBuilder json = new StringBuilder("{\"items\":[");
    String[] words = {"order", "shipped", "alpha", "invoice", "user", "delivered", "pending"};
    while (json.length() < bytes - 100) {
      json.append("{\"id\":\"")
          .append(Long.toHexString(random.nextLong()))
          .append("\",\"status\":\"")
          .append(words[random.nextInt(words.length)])
          .append("\",\"amount\":")
          .append(random.nextInt(100_000))
          .append("},");
    }
    json.setLength(json.length() - 1);
    json.append("],\"pad\":\"");
    while (json.length() < bytes - 2) {
      json.append('x');
    }
    return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
