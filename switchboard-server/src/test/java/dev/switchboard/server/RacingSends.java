package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Backends sending to one target while a test does something else (a device connects, recovers):
 * {@code senders} threads, each sending batches of notifications {@code r<sender>-0}, {@code
 * r<sender>-1}, ... in order, from {@link #start} until some batches after {@link #stop}, so that
 * the sends surround whatever the test did. A device then sees each sender's notifications in the
 * order sent; how the senders interleave is the server's choice.
 */
final class RacingSends {

  private static final int BATCH = 5;
  private static final int BATCHES_AFTER_STOP = 5;

  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<CompletableFuture<List<String>>> senders = new ArrayList<>();

  private RacingSends(PushFixture push, String target, int count) {
    for (int s = 0; s < count; s++) {
      String prefix = "r" + s + "-";
      senders.add(
          CompletableFuture.supplyAsync(
              () -> {
                List<String> sent = new ArrayList<>();
                for (int after = 0; after < BATCHES_AFTER_STOP; after += stopping.get() ? 1 : 0) {
                  sent.addAll(push.sendInBatches(target, prefix, sent.size(), BATCH));
                }
                return sent;
              }));
    }
  }

  /** Starts {@code senders} threads sending to {@code target} (a batch item's, single-quoted). */
  static RacingSends start(PushFixture push, String target, int senders) {
    return new RacingSends(push, target, senders);
  }

  /** Lets the senders finish (after a few more batches); returns what each sent, in order. */
  List<List<String>> stop() {
    stopping.set(true);
    return senders.stream().map(CompletableFuture::join).toList();
  }

  /**
   * Asserts that {@code received} holds every notification of {@code sent} once and each sender's
   * in the order it sent them, and nothing else.
   */
  static void assertEachOnceInSendersOrder(List<String> received, List<List<String>> sent) {
    assertThat(received).hasSize(sent.stream().mapToInt(List::size).sum());
    for (int s = 0; s < sent.size(); s++) {
      String prefix = "r" + s + "-";
      assertThat(received.stream().filter(e -> e.startsWith(prefix)).toList())
          .as("what sender %d sent, in its order", s)
          .containsExactlyElementsOf(sent.get(s));
    }
  }
}
