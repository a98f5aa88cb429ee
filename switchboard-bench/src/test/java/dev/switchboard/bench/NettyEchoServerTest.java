package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyEchoServerTest {

  @Test
  void theAnswersToOneReadBatchLeaveWithOneFlushAsTheFramesThatCame() {
    EmbeddedChannel channel = new EmbeddedChannel(echo(NettyEchoServer.Flush.PER_READ_BATCH));
    TextWebSocketFrame first = new TextWebSocketFrame("one");
    TextWebSocketFrame second = new TextWebSocketFrame("two");

    channel.pipeline().fireChannelRead(first).fireChannelRead(second);
    // EmbeddedChannel hands over what was written only when it is flushed.
    assertThat(channel.outboundMessages()).isEmpty();
    channel.pipeline().fireChannelReadComplete();

    assertThat(drain(channel)).containsExactly(first, second);
    first.release();
    second.release();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void flushEachSendsEveryAnswerAtOnce() {
    EmbeddedChannel channel = new EmbeddedChannel(echo(NettyEchoServer.Flush.PER_FRAME));
    TextWebSocketFrame frame = new TextWebSocketFrame("one");

    channel.pipeline().fireChannelRead(frame);

    assertThat(drain(channel)).containsExactly(frame);
    frame.release();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void theUpgradeDeclinesCompression() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyEchoServer.initPipeline(channel, NettyEchoServer.Flush.PER_READ_BATCH);
    String upgrade =
        """
        GET / HTTP/1.1\r
        Host: 127.0.0.1\r
        Upgrade: websocket\r
        Connection: Upgrade\r
        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
        Sec-WebSocket-Version: 13\r
        Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r
        \r
        """;

    channel.writeInbound(Unpooled.copiedBuffer(upgrade, StandardCharsets.US_ASCII));

    StringBuilder response = new StringBuilder();
    for (Object out : drain(channel)) {
      ByteBuf bytes = (ByteBuf) out;
      response.append(bytes.toString(StandardCharsets.US_ASCII));
      bytes.release();
    }
    assertThat(response.toString())
        .startsWith("HTTP/1.1 101 Switching Protocols")
        .containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        .doesNotContainIgnoringCase("sec-websocket-extensions");
    channel.finishAndReleaseAll();
  }

  @Test
  void echoesEveryMessageOverARealSocketInOrder() throws Exception {
    try (NettyEchoServer server =
            NettyEchoServer.start("127.0.0.1", 0, 1, NettyEchoServer.Flush.PER_READ_BATCH);
        HttpClient http = HttpClient.newHttpClient()) {
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      WebSocket socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), collect(received))
              .get(10, TimeUnit.SECONDS);
      List<String> sent = List.of("{\"id\":1}", "{\"id\":2}", "é, ü and ✓");
      for (String text : sent) {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
      }

      List<String> echoed = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        echoed.add(received.poll(10, TimeUnit.SECONDS));
      }
      assertThat(echoed).containsExactlyElementsOf(sent);
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }
  }

  private static NettyEchoServer.Echo echo(NettyEchoServer.Flush flush) {
    return new NettyEchoServer.Echo(flush);
  }

  private static List<Object> drain(EmbeddedChannel channel) {
    List<Object> out = new ArrayList<>();
    for (Object m = channel.readOutbound(); m != null; m = channel.readOutbound()) {
      out.add(m);
    }
    return out;
  }

  /** Whole text messages into {@code received}; the JDK client may split one into parts. */
  private static WebSocket.Listener collect(BlockingQueue<String> received) {
    return new WebSocket.Listener() {
      private final StringBuilder message = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        message.append(data);
        if (last) {
          received.add(message.toString());
          message.setLength(0);
        }
        socket.request(1);
        return null;
      }
    };
  }
}
