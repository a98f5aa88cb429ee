package dev.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.IdempotencyKeys.Claim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@link DeliveryStore} used from many threads at once: concurrent appends to one stream get
 * distinct, gap-free offsets replayed in order; of concurrent claims of one idempotency key exactly
 * one wins; of concurrent ACKs of one delivery exactly one acknowledges it. Every wait on another
 * thread is bounded. Run by {@link DeliveryStoreContract}.
 */
abstract class DeliveryStoreConcurrencyContract extends DeliveryStoreSection {

  /** The longest a test waits for another thread. */
  private static final long WAIT_SECONDS = 10;

  private static final int THREADS = 8;
  private static final int PER_THREAD = 200;
  private static final int TOTAL = THREADS * PER_THREAD;

  /**
   * Runs {@code task} on {@link #THREADS} threads released together, and gathers what each
   * returned.
   */
  private static <R> List<R> inParallel(Callable<List<R>> task) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<R>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  if (!start.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never started");
                  }
                  return task.call();
                }));
      }
      assertThat(ready.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      start.countDown();
      List<R> all = new ArrayList<>();
      for (Future<List<R>> future : futures) {
        all.addAll(future.get(WAIT_SECONDS, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  private record Appended(long offset, UUID id, String epoch) {}

  /** Checks that {@code appended} got offsets 1..TOTAL, once each, and {@code replay} agrees. */
  private static void assertGapFreeAndInOrder(List<Appended> appended, Replay replay) {
    assertThat(appended).extracting(Appended::epoch).containsOnly(replay.top().epoch());
    Map<Long, UUID> byOffset = new HashMap<>();
    for (Appended a : appended) {
      assertThat(byOffset.put(a.offset(), a.id())).as("offset %d given twice", a.offset()).isNull();
    }
    assertThat(byOffset.keySet()).containsExactlyInAnyOrderElementsOf(range(1, TOTAL));
    assertThat(replay.recovered()).isTrue();
    assertThat(replay.top().offset()).isEqualTo(TOTAL);
    assertThat(offsets(replay.entries())).containsExactlyElementsOf(range(1, TOTAL));
    for (StreamEntry entry : replay.entries()) {
      assertThat(entry.notificationId()).isEqualTo(byOffset.get(entry.offset()));
      assertThat(new String(entry.message(), UTF_8)).isEqualTo(entry.notificationId().toString());
    }
  }

  @Test
  void concurrentAppendsToOneChannelGetDistinctGapFreeOffsetsReplayedInOrder() throws Exception {
    ChannelHistory channels = store(limits().historySize(TOTAL)).channels();

    List<Appended> appended =
        inParallel(
            () -> {
              List<Appended> mine = new ArrayList<>();
              for (int i = 0; i < PER_THREAD; i++) {
                UUID id = UUID.randomUUID();
                Position top = channels.append("news", id, bytes(id.toString()), at(0));
                mine.add(new Appended(top.offset(), id, top.epoch()));
              }
              return mine;
            });

    String epoch = appended.getFirst().epoch();
    assertGapFreeAndInOrder(appended, channels.since("news", 0, epoch, at(1)));
  }

  @Test
  void concurrentAppendsToOneInboxGetDistinctGapFreeOffsetsOwedInOrder() throws Exception {
    Inboxes inboxes = store(limits().queueSize(TOTAL)).inboxes();

    List<Appended> appended =
        inParallel(
            () -> {
              List<Appended> mine = new ArrayList<>();
              for (int i = 0; i < PER_THREAD; i++) {
                UUID id = UUID.randomUUID();
                Position top = inboxes.append("alice", id, bytes(id.toString()), at(600), at(0));
                mine.add(new Appended(top.offset(), id, top.epoch()));
              }
              return mine;
            });

    String epoch = appended.getFirst().epoch();
    assertGapFreeAndInOrder(appended, inboxes.since("alice", 0, epoch, at(1)));
    assertThat(offsets(inboxes.owed("alice", at(1)))).containsExactlyElementsOf(range(1, TOTAL));
  }

  @Test
  void concurrentClaimsOfOneKeyLetExactlyOneCallerSend() throws Exception {
    IdempotencyKeys keys = store().idempotency();

    List<Claim> claims =
        inParallel(
            () -> {
              List<Claim> mine = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                mine.add(keys.claim("k1", "f1", at(0)));
              }
              return mine;
            });

    assertThat(claims).filteredOn(c -> c instanceof Claim.Claimed).hasSize(1);
    assertThat(claims).filteredOn(c -> c instanceof Claim.InProgress).hasSize(THREADS * 10 - 1);
  }

  @Test
  void concurrentAcksOfOneDeliveryAcknowledgeItExactlyOnce() throws Exception {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    List<Acks.Outcome> outcomes = inParallel(() -> List.of(acks.ack("alice", id, at(1))));

    assertThat(outcomes).filteredOn(o -> o == Acks.Outcome.ACKNOWLEDGED).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> o == Acks.Outcome.ALREADY_ACKNOWLEDGED)
        .hasSize(THREADS - 1);
    assertThat(acks.stats(at(1)).acknowledged()).isEqualTo(1);
  }
}
