package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A message's compressed form, and its form in another protocol, are each made once and shared by
 * every recipient.
 */
class OutgoingTest {

  private final AtomicInteger compressions = new AtomicInteger();

  /** A stand-in for deflate that counts its calls and gives a new array each time. */
  private final UnaryOperator<byte[]> reverse =
      bytes -> {
        compressions.incrementAndGet();
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
          out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
      };

  @Test
  void theCompressedFormIsMadeByTheFirstCallerAndSharedWithTheNext() {
    Outgoing message = Outgoing.notification(new byte[] {1, 2, 3}, Priority.NORMAL);

    byte[] first = message.compressed(reverse);
    byte[] second = message.compressed(reverse);

    assertThat(first).containsExactly(3, 2, 1);
    assertThat(second).isSameAs(first);
    assertThat(compressions).hasValue(1);
    assertThat(message.bytes()).as("the plain bytes are untouched").containsExactly(1, 2, 3);
  }

  @Test
  void callersThatComeWhileOneCompressesWaitForItsResult() throws Exception {
    Outgoing message = Outgoing.notification(new byte[64 << 10], Priority.HIGH);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                  return message.compressed(reverse);
                }));
      }
      start.countDown();
      byte[] first = results.getFirst().get(10, TimeUnit.SECONDS);
      for (Future<byte[]> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(compressions).hasValue(1);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aMessageIsEqualOnlyToItself() {
    byte[] bytes = {1};
    assertThat(Outgoing.notification(bytes, Priority.LOW))
        .isNotEqualTo(Outgoing.notification(bytes, Priority.LOW));
  }

  @Test
  void anotherFormIsRenderedOnceForEveryCopyAndKeepsEachCopysPosition() {
    Outgoing message = Outgoing.notification(new byte[] {1, 2, 3}, Priority.HIGH);
    Position atAlice = new Position(new StreamId.Inbox("alice"), 4, "e1");
    Position atBob = new Position(new StreamId.Inbox("bob"), 9, "e2");

    Outgoing forAlice = message.at(atAlice).rendered("reversed", reverse);
    Outgoing forBob = message.at(atBob).rendered("reversed", reverse);

    assertThat(forAlice.bytes()).containsExactly(3, 2, 1);
    assertThat(forBob.bytes()).isSameAs(forAlice.bytes());
    assertThat(compressions).as("rendered once for both recipients").hasValue(1);
    assertThat(forAlice.position()).contains(atAlice);
    assertThat(forBob.position()).contains(atBob);
    assertThat(forBob.priority()).contains(Priority.HIGH);
    assertThat(message.bytes()).as("the original is untouched").containsExactly(1, 2, 3);
  }

  @Test
  void theRenderedFormSharesItsOwnCompressedForm() {
    Outgoing message = Outgoing.notification(new byte[] {1, 2}, Priority.NORMAL);
    UnaryOperator<byte[]> doubled =
        bytes -> {
          byte[] out = new byte[bytes.length * 2];
          System.arraycopy(bytes, 0, out, 0, bytes.length);
          System.arraycopy(bytes, 0, out, bytes.length, bytes.length);
          return out;
        };

    byte[] first = message.rendered("doubled", doubled).compressed(reverse);
    byte[] second = message.rendered("doubled", doubled).compressed(reverse);

    assertThat(first).containsExactly(2, 1, 2, 1);
    assertThat(second).isSameAs(first);
    assertThat(message.compressed(reverse)).as("the original's own").containsExactly(2, 1);
  }
}
