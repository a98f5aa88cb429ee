package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpTimeouts} in a channel without a socket, on the channel's own clock: which timeout
 * runs in which phase of a connection, and that a phase change never makes a timeout late.
 */
class HttpTimeoutsTest {

  private static final ConnectionLimits LIMITS =
      new ConnectionLimits(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          Duration.ofSeconds(5),
          0);

  private final AtomicInteger timedOut = new AtomicInteger();
  private final HttpTimeouts.IdleList idle = new HttpTimeouts.IdleList();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  HttpTimeoutsTest() {
    channel.freezeTime();
    channel
        .pipeline()
        .addLast("httpEncoder", new ChannelDuplexHandler()); // where Vert.x's encoder would be
    HttpTimeouts.install(channel.pipeline(), LIMITS, timedOut::incrementAndGet, idle);
  }

  @AfterEach
  void release() {
    channel.finishAndReleaseAll();
  }

  private void after(Duration elapsed) {
    channel.advanceTimeBy(elapsed.toMillis(), TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  private void bytes(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    drainInbound();
  }

  private void request(String uri, String... header) {
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    for (int i = 0; i < header.length; i += 2) {
      request.headers().add(header[i], header[i + 1]);
    }
    channel.writeInbound(request);
    drainInbound();
  }

  private void answer(HttpResponseStatus status) {
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status));
    drainOutbound();
  }

  private void drainInbound() {
    for (Object in; (in = channel.readInbound()) != null; ) {
      ReferenceCountUtil.release(in);
    }
  }

  private String drainOutbound() {
    StringBuilder written = new StringBuilder();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      if (out instanceof ByteBuf bytes) {
        written.append(bytes.toString(StandardCharsets.US_ASCII));
      }
      ReferenceCountUtil.release(out);
    }
    return written.toString();
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheHeaderTimeoutAndNotBefore() {
    after(Duration.ofMillis(9_999));
    assertThat(channel.isOpen()).isTrue();
    after(Duration.ofMillis(1));
    assertThat(channel.isOpen()).isFalse();
    assertThat(drainOutbound()).as("nothing to answer: no request began").isEmpty();
    assertThat(timedOut).hasValue(1);
  }

  @Test
  void headersTrickledByteByByteTimeOutFromTheirFirstByteWith408() {
    after(Duration.ofSeconds(5));
    bytes("G");
    for (int i = 0; i < 9; i++) {
      after(Duration.ofSeconds(1));
      bytes("E");
    }
    assertThat(channel.isOpen()).as("10 s after the first byte: just now").isTrue();
    after(Duration.ofSeconds(1));
    assertThat(channel.isOpen()).isFalse();
    assertThat(drainOutbound()).startsWith("HTTP/1.1 408 Request Timeout");
  }

  @Test
  void aKeepAliveConnectionIsClosedAfterTheIdleTimeoutBetweenRequests() {
    bytes("GET / ...");
    request("/health");
    answer(HttpResponseStatus.OK);
    after(Duration.ofSeconds(59));
    assertThat(channel.isOpen()).isTrue();
    after(Duration.ofSeconds(1));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aRequestStartedLateInAnIdleSpellStillGetsOnlyTheHeaderTimeout() {
    bytes("GET / ...");
    request("/health");
    answer(HttpResponseStatus.OK);
    after(Duration.ofSeconds(30)); // idle, far from the idle timeout
    bytes(
        "G"); // the next request's first byte: 10 s from now, not the 30 s left of the idle timeout
    after(Duration.ofSeconds(10));
    assertThat(channel.isOpen()).isFalse();
    assertThat(drainOutbound()).startsWith("HTTP/1.1 408");
  }

  @Test
  void anAnsweredRequestIsNotTimedWhileTheServerWorksOnIt() {
    bytes("GET / ...");
    request("/slow");
    after(Duration.ofMinutes(5));
    assertThat(channel.isOpen()).isTrue();
    answer(HttpResponseStatus.OK);
    assertThat(idle.pollOldest()).as("idle again, so it may be closed to make room").isPresent();
  }

  @Test
  void anUnansweredUpgradeGets503AtTheHandshakeTimeout() {
    bytes("GET /ws ...");
    request("/ws", "Upgrade", "websocket", "Connection", "Upgrade");
    assertThat(idle.pollOldest())
        .as("an upgrade in progress is never closed to make room")
        .isEmpty();
    after(Duration.ofSeconds(5));
    assertThat(channel.isOpen()).isFalse();
    assertThat(drainOutbound()).startsWith("HTTP/1.1 503 Service Unavailable");
  }

  @Test
  void aWebSocketLeavesTheTimeoutsBehind() {
    bytes("GET /ws ...");
    request("/ws", "Upgrade", "websocket", "Connection", "Upgrade");
    answer(HttpResponseStatus.SWITCHING_PROTOCOLS);
    after(Duration.ofHours(1));
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.pipeline().names())
        .noneMatch(name -> name.startsWith("switchboard-timeouts"));
    assertThat(idle.pollOldest()).isEmpty();
  }
}
