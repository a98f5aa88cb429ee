package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jsonrpc.Encoding;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-memory transport's queue is bounded, as a socket's is. */
class InMemoryTransportTest {

  @Test
  void sendsAreRefusedWhileTheLimitOfUndeliveredMessagesWaitsAndTakenAgainOnceItDrains() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    byte[] message = {'{', '}'};
    // The right end is not started yet: nothing it is sent is delivered.
    for (int i = 0; i < InMemoryTransport.MAX_QUEUED; i++) {
      assertThat(pair.left().send(Encoding.JSON, message)).as("message %d", i).isTrue();
    }
    assertThat(pair.left().send(Encoding.JSON, message)).as("one past the limit").isFalse();

    Counting right = new Counting();
    pair.right().start(right);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> right.received.get() == InMemoryTransport.MAX_QUEUED);
    assertThat(pair.left().send(Encoding.JSON, message)).as("after the queue drained").isTrue();

    pair.left().close(CloseReason.NORMAL, "done");
  }

  private static final class Counting implements TransportListener {
    final AtomicInteger received = new AtomicInteger();

    @Override
    public void receive(Encoding encoding, byte[] message) {
      received.incrementAndGet();
    }

    @Override
    public void alive() {}

    @Override
    public void transportClosed(int code, String reason) {}

    @Override
    public void close(int code, String reason) {}
  }
}
