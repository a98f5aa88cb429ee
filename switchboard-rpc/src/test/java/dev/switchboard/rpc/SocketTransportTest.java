package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jsonrpc.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The socket twin's transport keeps the {@link Transport} contract, as a WebSocket would. */
class SocketTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Records what its end hears. */
  private static final class Recorder implements TransportListener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final AtomicInteger pongs = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

    @Override
    public void receive(Encoding encoding, byte[] message) {
      messages.add(encoding + " " + new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void alive() {
      pongs.incrementAndGet();
    }

    @Override
    public void transportClosed(int code, String reason) {
      closes.incrementAndGet();
      closed.complete(new CloseReason(code, reason));
    }

    @Override
    public void close(int code, String reason) {
      throw new AssertionError("not asked for");
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void messagesArriveWholeAndInOrderWithTheirEncodingAndAPingIsAnsweredWithAPong()
      throws Exception {
    SocketTransport.Pair pair = SocketTransport.pair(16);
    Recorder left = new Recorder();
    Recorder right = new Recorder();
    pair.left().start(left);
    pair.right().start(right);
    assertThat(pair.left().send(Encoding.JSON, bytes("one"))).isTrue();
    assertThat(pair.left().send(Encoding.MSGPACK, bytes("two"))).isTrue();
    assertThat(pair.left().sendPing()).isTrue();
    assertThat(right.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("JSON one");
    assertThat(right.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("MSGPACK two");
    await().atMost(WAIT).until(() -> left.pongs.get() == 1);
    pair.left().close(1000, "");
  }

  @Test
  void aCloseReachesTheOtherEndWithItsCodeAndReasonAndEachEndHearsItOnce() {
    SocketTransport.Pair pair = SocketTransport.pair(16);
    Recorder left = new Recorder();
    Recorder right = new Recorder();
    pair.left().start(left);
    pair.right().start(right);
    pair.left().close(1001, "going away");
    pair.left().close(1000, "again");
    CloseReason expected = new CloseReason(1001, "going away");
    assertThat(right.closed).succeedsWithin(WAIT).isEqualTo(expected);
    assertThat(left.closed).succeedsWithin(WAIT).isEqualTo(expected);
    assertThat(pair.left().send(Encoding.JSON, bytes("late"))).isFalse();
    assertThat(pair.right().send(Encoding.JSON, bytes("late"))).isFalse();
    assertThat(left.closes).hasValue(1);
    assertThat(right.closes).hasValue(1);
  }

  @Test
  void aDroppedConnectionIsReportedAs1006OnBothEnds() {
    SocketTransport.Pair pair = SocketTransport.pair(16);
    Recorder left = new Recorder();
    Recorder right = new Recorder();
    pair.left().start(left);
    pair.right().start(right);
    pair.left().drop();
    assertThat(right.closed)
        .succeedsWithin(WAIT)
        .extracting(CloseReason::code)
        .isEqualTo(SocketTransport.ABNORMAL);
    assertThat(left.closed)
        .succeedsWithin(WAIT)
        .extracting(CloseReason::code)
        .isEqualTo(SocketTransport.ABNORMAL);
  }

  @Test
  void sendRefusesAMessageOnceCapacityMessagesWait() throws Exception {
    SocketTransport.Pair pair = SocketTransport.pair(2); // not started: nothing is written yet
    assertThat(pair.left().send(Encoding.JSON, bytes("1"))).isTrue();
    assertThat(pair.left().send(Encoding.JSON, bytes("2"))).isTrue();
    assertThat(pair.left().send(Encoding.JSON, bytes("3"))).as("over capacity").isFalse();
    Recorder right = new Recorder();
    pair.left().start(new Recorder());
    pair.right().start(right);
    assertThat(right.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("JSON 1");
    assertThat(right.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("JSON 2");
    pair.left().close(1000, "");
  }
}
