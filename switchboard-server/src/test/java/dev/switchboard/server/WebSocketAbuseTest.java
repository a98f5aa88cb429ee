package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.SilentWebSocket;
import dev.switchboard.websocket.CloseCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile WebSocket peer may send, refused at once with the server still serving others:
 * compression bombs, RSV bits and close codes RFC 6455 does not allow, and pings sent faster than
 * their answers are read. Every peer here is hand-written over plain TCP, since WebSocket libraries
 * refuse to misbehave.
 */
class WebSocketAbuseTest {

  private static final int MAX_MESSAGE = 64 << 10;
  private static final List<String> DEFLATE =
      List.of("Sec-WebSocket-Extensions: permessage-deflate");
  private static final String PING_REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

  private PushFixture push;

  private PushFixture start(boolean compression) {
    push =
        PushFixture.start(
            PushFixture.development()
                .webSocketCompression(
                    compression ? WebSocketCompression.on(1024) : WebSocketCompression.OFF)
                .rpc(
                    ServerConfig.keepalive(
                        RpcConfig.builder().maxMessageBytes(MAX_MESSAGE).build(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(120))));
    return push;
  }

  @AfterEach
  void stop() {
    push.close();
  }

  @Test
  void compressionIsNotNegotiatedByDefault() throws IOException {
    start(false);
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""), DEFLATE)) {
      assertThat(peer.responseHeaders())
          .noneMatch(h -> h.toLowerCase().startsWith("sec-websocket-extensions"));
    }
  }

  @Test
  void aCompressedFrameThatInflatesPastTheMessageLimitClosesWith1009AtOnce() throws IOException {
    start(true);
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""), DEFLATE)) {
      assertThat(peer.responseHeaders())
          .anyMatch(h -> h.toLowerCase().contains("permessage-deflate"))
          .as("asked of every client, so that small messages may go uncompressed")
          .anyMatch(h -> h.toLowerCase().contains("client_no_context_takeover"));
      byte[] bomb =
          deflate(new byte[32 << 20]); // 32 MiB of zeros in about 32 KB: a frame within the limit
      assertThat(bomb.length).isLessThan(MAX_MESSAGE);
      long start = System.nanoTime();
      peer.sendFrame(0xC1, bomb); // FIN, RSV1 (compressed), text
      RawWebSocket.Closed closed = peer.awaitClose(WAIT);
      assertThat(closed.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
      // Said by the inflater, which stopped at the limit (not by the size check after inflating it
      // all).
      assertThat(closed.reason()).contains("inflates beyond " + MAX_MESSAGE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
    assertStillServing();
  }

  @Test
  void aCompressedMessageWithinTheLimitIsAnswered() throws IOException, DataFormatException {
    start(true);
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""), DEFLATE)) {
      peer.sendFrame(0xC1, deflate(PING_REQUEST.getBytes(StandardCharsets.UTF_8)));
      SilentWebSocket.WireFrame answer = peer.readFrame(WAIT);
      byte[] text = answer.compressed() ? inflate(answer.payload()) : answer.payload();
      assertThat(new String(text, StandardCharsets.UTF_8)).contains("\"result\":\"pong\"");
    }
  }

  @Test
  void withCompressionOnOnlyMessagesOfTheMinimumSizeAreCompressed()
      throws IOException, DataFormatException {
    start(true); // messages of 1,024 bytes and more
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""), DEFLATE)) {
      peer.sendFrame(0xC1, deflate(PING_REQUEST.getBytes(StandardCharsets.UTF_8)));
      SilentWebSocket.WireFrame small = peer.readFrame(WAIT);
      assertThat(small.compressed()).as("a short answer goes out as it is").isFalse();
      assertThat(new String(small.payload(), StandardCharsets.UTF_8))
          .contains("\"result\":\"pong\"");
      String big = "x".repeat(4096);
      peer.sendFrame(
          0xC1,
          deflate(
              ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[\"" + big + "\"]}")
                  .getBytes(StandardCharsets.UTF_8)));
      SilentWebSocket.WireFrame large = peer.readFrame(WAIT);
      assertThat(large.compressed()).as("a 4 KB answer is compressed").isTrue();
      assertThat(large.payload().length).isLessThan(big.length() / 4);
      assertThat(new String(inflate(large.payload()), StandardCharsets.UTF_8)).contains(big);
    }
  }

  @Test
  void rsvBitsWithoutANegotiatedExtensionAreAProtocolError() throws IOException {
    start(true); // compression on, but this peer did not ask for it
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""))) {
      peer.sendFrame(0xC1, deflate(PING_REQUEST.getBytes(StandardCharsets.UTF_8)));
      assertThat(peer.awaitClose(WAIT).code()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void rsvBitsAreAProtocolErrorWhenCompressionIsOff() throws IOException {
    start(false);
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""))) {
      peer.sendFrame(0x91, PING_REQUEST.getBytes(StandardCharsets.UTF_8)); // RSV3
      assertThat(peer.awaitClose(WAIT).code()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void closeCodesOutsideRfc6455sRangesAreAProtocolError() throws IOException {
    start(false);
    for (int code : new int[] {5000, 1004, 1005, 1006, 1015, 2999, 999}) {
      try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""))) {
        peer.sendClose(code);
        assertThat(peer.awaitClose(WAIT).code())
            .as("answer to close code " + code)
            .isEqualTo(CloseCodes.PROTOCOL_ERROR);
        // ...and the connection is cut soon after, without waiting out the close grace for an
        // answer.
        assertThat(peer.connectionEndsWithin(Duration.ofSeconds(3))).isTrue();
      }
    }
    for (int code : new int[] {1000, 1001, 3000, 4999}) {
      try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""))) {
        peer.sendClose(code);
        assertThat(peer.awaitClose(WAIT).code()).as("answer to close code " + code).isEqualTo(code);
      }
    }
  }

  @Test
  void aPeerThatFloodsPingsWithoutReadingIsCutOffAndItsSocketClosed() throws IOException {
    start(false);
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""))) {
      push.awaitConnections(1);
      byte[] payload = new byte[125];
      // How long the flood lasts is not asserted: the cut comes once the kernel's socket buffers,
      // which TCP autotuning grows, are full; on a slow machine that was seen to take 3.5 minutes.
      int sent = 0;
      // Far more pings than answers fit in the socket buffers and the limit of owed answers
      // (1,000).
      try {
        for (; sent < 400_000 && push.server.registry().connectionCount() == 1; sent++) {
          peer.sendPing(payload);
        }
      } catch (IOException closedUnderUs) {
        // the server cut the connection while we were still sending: what this test wants
      }
      assertThat(push.server.registry().connectionCount()).as("after " + sent + " pings").isZero();
      assertThat(
              peer.connectionEndsWithin(Duration.ofSeconds(WebSocketSink.CLOSE_GRACE_SECONDS + 5)))
          .as("the socket is closed")
          .isTrue();
    }
    assertStillServing();
  }

  @Test
  void pingsOfAPeerThatReadsAreAnswered() throws IOException {
    start(false);
    try (SilentWebSocket peer = SilentWebSocket.connect(push.ws(""))) {
      for (int i = 0; i < 100; i++) {
        peer.sendPing(new byte[] {(byte) i});
        SilentWebSocket.WireFrame pong = peer.readFrame(WAIT);
        assertThat(pong.opcode()).isEqualTo(0xA);
        assertThat(pong.payload()).containsExactly((byte) i);
      }
    }
  }

  private void assertStillServing() {
    push.awaitConnections(0);
    assertThat(push.anonymousDevice().isOpen()).isTrue();
  }

  /** Raw deflate with the permessage-deflate tail (00 00 FF FF) taken off, as RFC 7692 sends it. */
  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(9, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 << 10];
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
      if (n < buffer.length && deflater.needsInput()) {
        break;
      }
    }
    deflater.end();
    byte[] bytes = out.toByteArray();
    return java.util.Arrays.copyOf(bytes, bytes.length - 4);
  }

  private static byte[] inflate(byte[] payload) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    byte[] input = java.util.Arrays.copyOf(payload, payload.length + 4);
    input[payload.length + 2] = (byte) 0xFF;
    input[payload.length + 3] = (byte) 0xFF;
    inflater.setInput(input);
    byte[] out = new byte[1 << 20];
    int n = inflater.inflate(out);
    inflater.end();
    return java.util.Arrays.copyOf(out, n);
  }
}
