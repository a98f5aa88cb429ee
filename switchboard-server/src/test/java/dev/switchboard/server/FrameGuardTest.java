package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.websocket.CloseCodes;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameGuard} in a channel without a socket: what it passes on, what it refuses, how it
 * answers pings.
 */
class FrameGuardTest {

  private static final int MAX_OWED = 3;

  private final List<String> told = new ArrayList<>();
  private final List<Object> passed = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  FrameGuardTest() {
    channel
        .pipeline()
        .addLast(
            "handler",
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passed.add(msg);
              }
            });
    FrameGuard.install(
        channel.pipeline(),
        new FrameGuard.Listener() {
          @Override
          public void violation(int code, String reason) {
            told.add(code + " " + reason);
          }

          @Override
          public void pingFlood(String reason) {
            told.add("flood " + reason);
          }

          @Override
          public void alive() {
            told.add("alive");
          }
        },
        MAX_OWED);
  }

  @AfterEach
  void release() {
    passed.forEach(ReferenceCountUtil::release);
    channel.finishAndReleaseAll();
  }

  private void peerStopsReading(boolean stopped) {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, !stopped);
    channel.runPendingTasks(); // the writability change is announced later on the event loop
  }

  private List<String> pongs() {
    List<String> pongs = new ArrayList<>();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      assertThat(out).isInstanceOf(PongWebSocketFrame.class);
      PongWebSocketFrame pong = (PongWebSocketFrame) out;
      pongs.add(pong.content().toString(java.nio.charset.StandardCharsets.US_ASCII));
      pong.release();
    }
    return pongs;
  }

  /**
   * A close frame with {@code code} and no reason, built by hand (Netty's constructor refuses some
   * codes).
   */
  private static CloseWebSocketFrame closeFrame(int code) {
    return new CloseWebSocketFrame(
        true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) (code >>> 8), (byte) code}));
  }

  private static PingWebSocketFrame ping(String payload) {
    return new PingWebSocketFrame(
        Unpooled.copiedBuffer(payload, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void dataFramesPassUnchanged() {
    TextWebSocketFrame text = new TextWebSocketFrame("hello");
    channel.writeInbound(text);
    assertThat(passed).containsExactly(text);
    assertThat(told).isEmpty();
  }

  @Test
  void rsvBitsNoExtensionConsumedAreAProtocolError() {
    channel.writeInbound(
        new TextWebSocketFrame(true, 0b100, Unpooled.copiedBuffer(new byte[] {1})));
    assertThat(passed).isEmpty();
    assertThat(told).singleElement().asString().startsWith(CloseCodes.PROTOCOL_ERROR + " ");
  }

  @Test
  void closeCodesRfc6455DoesNotAllowAreAProtocolErrorAndOthersPass() {
    channel.writeInbound(closeFrame(5000)); // Netty's own check lets this one through
    channel.writeInbound(closeFrame(1005));
    assertThat(told)
        .containsExactly(
            CloseCodes.PROTOCOL_ERROR + " close code 5000 is not allowed by RFC 6455",
            CloseCodes.PROTOCOL_ERROR + " close code 1005 is not allowed by RFC 6455");
    channel.writeInbound(new CloseWebSocketFrame(4000, "ok"));
    channel.writeInbound(new CloseWebSocketFrame(true, 0)); // no code at all: allowed
    assertThat(passed).hasSize(2);
  }

  @Test
  void aCloseReasonThatIsNotUtf8IsInvalidDataEvenWhenCutShortAtItsEnd() {
    byte[] cutShort = {0x03, (byte) 0xE8, 'o', 'k', (byte) 0xE2, (byte) 0x82}; // 1000 "ok" + 2 of 3
    channel.writeInbound(new CloseWebSocketFrame(true, 0, Unpooled.wrappedBuffer(cutShort)));
    assertThat(passed).isEmpty();
    assertThat(told)
        .containsExactly(CloseCodes.INVALID_PAYLOAD + " a close frame's reason is not valid UTF-8");
  }

  @Test
  void aPingIsAnsweredAtOnceAndNotPassedOn() {
    channel.writeInbound(ping("a"));
    assertThat(pongs()).containsExactly("a");
    assertThat(passed).isEmpty();
    assertThat(told).containsExactly("alive");
  }

  @Test
  void whileThePeerDoesNotReadOnlyTheLatestPingIsAnsweredOnceItDoes() {
    peerStopsReading(true);
    channel.writeInbound(ping("1"), ping("2"), ping("3"));
    assertThat(pongs()).isEmpty();
    peerStopsReading(false);
    assertThat(pongs()).containsExactly("3");
    assertThat(told).doesNotContain("flood");
  }

  @Test
  void aPeerSendingMorePingsThanItReadsIsReportedOnce() {
    peerStopsReading(true);
    for (int i = 0; i < MAX_OWED + 5; i++) {
      channel.writeInbound(ping("p" + i));
    }
    assertThat(told.stream().filter(t -> t.startsWith("flood"))).hasSize(1);
    peerStopsReading(false);
    assertThat(pongs()).as("nothing owed once reported").isEmpty();
  }
}
