package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.gateway.Outbox.Offer;
import dev.switchboard.jsonrpc.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads offer while the socket completes writes on its own thread: nothing is lost, doubled
 * or reordered.
 */
class OutboxConcurrencyTest {

  private static final int THREADS = 6;
  private static final int PER_THREAD = 5_000;

  private final ExecutorService offerers = Executors.newFixedThreadPool(THREADS);

  /** The socket's thread: every write completes here, later. */
  private final ExecutorService socket = Executors.newSingleThreadExecutor();

  /** What the sink was handed, in order; written to under the outbox's lock, read after the run. */
  private final List<Outgoing> written = new ArrayList<>();

  private final Outbox.Sink sink =
      (message, done) -> {
        synchronized (written) {
          written.add(message);
        }
        socket.execute(done);
      };

  @AfterEach
  void stopThreads() throws InterruptedException {
    offerers.shutdownNow();
    socket.shutdownNow();
    assertThat(offerers.awaitTermination(10, TimeUnit.SECONDS))
        .as("offering threads stopped")
        .isTrue();
    assertThat(socket.awaitTermination(10, TimeUnit.SECONDS)).as("socket thread stopped").isTrue();
  }

  /**
   * Offers PER_THREAD messages from each thread at once; returns how many each thread had accepted.
   */
  private List<Integer> offerFromEveryThread(
      Outbox outbox, BiFunction<Integer, Integer, Outgoing> message) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(
          offerers.submit(
              () -> {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                  throw new IllegalStateException("start gate not opened");
                }
                int accepted = 0;
                for (int i = 0; i < PER_THREAD; i++) {
                  Offer offer = outbox.offer(message.apply(thread, i));
                  if (offer instanceof Offer.Accepted) {
                    accepted++;
                  }
                }
                return accepted;
              }));
    }
    gate.countDown();
    List<Integer> accepted = new ArrayList<>();
    for (Future<Integer> future : futures) {
      accepted.add(future.get(30, TimeUnit.SECONDS));
    }
    await().atMost(Duration.ofSeconds(30)).until(outbox::isEmpty);
    return accepted;
  }

  private static byte[] label(int thread, int seq) {
    return (thread + ":" + seq).getBytes(StandardCharsets.UTF_8);
  }

  /** The sequence numbers each thread's written messages carry, in the order written. */
  private Map<Integer, List<Integer>> writtenByThread() {
    Map<Integer, List<Integer>> out = new HashMap<>();
    synchronized (written) {
      for (Outgoing message : written) {
        String[] parts = new String(message.bytes(), StandardCharsets.UTF_8).split(":");
        out.computeIfAbsent(Integer.parseInt(parts[0]), k -> new ArrayList<>())
            .add(Integer.parseInt(parts[1]));
      }
    }
    return out;
  }

  @Test
  void everyAcceptedMessageIsWrittenOnceInTheOrderEachThreadOfferedIt() throws Exception {
    Outbox outbox = new Outbox(new OutboxLimits(THREADS * PER_THREAD, Long.MAX_VALUE, 64), sink);

    List<Integer> accepted =
        offerFromEveryThread(
            outbox,
            (thread, i) ->
                i % 2 == 0
                    ? Outgoing.rpc(Encoding.JSON, label(thread, i))
                    : Outgoing.notification(label(thread, i), Priority.HIGH));

    assertThat(accepted).containsOnly(PER_THREAD);
    Map<Integer, List<Integer>> byThread = writtenByThread();
    List<Integer> everySequence = java.util.stream.IntStream.range(0, PER_THREAD).boxed().toList();
    for (int t = 0; t < THREADS; t++) {
      assertThat(byThread.get(t)).as("thread %d's messages", t).isEqualTo(everySequence);
    }
    assertThat(outbox.dropped()).isZero();
  }

  @Test
  void droppedNotificationsAreNeverWrittenAndTheRestKeepTheirOrder() throws Exception {
    Outbox outbox = new Outbox(new OutboxLimits(8, Long.MAX_VALUE, 32), sink);

    List<Integer> accepted =
        offerFromEveryThread(
            outbox, (thread, i) -> Outgoing.notification(label(thread, i), Priority.LOW));

    assertThat(accepted)
        .as("a full queue of Low notifications always makes room")
        .containsOnly(PER_THREAD);
    Map<Integer, List<Integer>> byThread = writtenByThread();
    long writtenCount = 0;
    for (List<Integer> sequence : byThread.values()) {
      assertThat(sequence)
          .as("each thread's messages, written once and in order")
          .isSorted()
          .doesNotHaveDuplicates();
      writtenCount += sequence.size();
    }
    assertThat(writtenCount + outbox.dropped())
        .as("written plus dropped")
        .isEqualTo((long) THREADS * PER_THREAD);
  }
}
