package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jsonrpc.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The gate in front of a device's outbound queue: it lets everything through until a stream is
 * held, keeps that stream's notifications while the device reads what it missed, and on release
 * merges the two by offset, each offset once.
 */
class StreamGateTest {

  private static final StreamId NEWS = new StreamId.Channel("news");
  private static final StreamId SPORTS = new StreamId.Channel("sports");
  private static final String EPOCH = "epoch001";

  /** What the gate handed on to the device, in order. */
  private final List<Outgoing> handedOn = new CopyOnWriteArrayList<>();

  private volatile boolean refusing;

  private StreamGate gate(int maxHeld) {
    return new StreamGate(
        message -> {
          if (refusing) {
            return false;
          }
          handedOn.add(message);
          return true;
        },
        maxHeld);
  }

  private static Outgoing at(StreamId stream, long offset) {
    return Outgoing.notification(
        (stream.key() + "@" + offset).getBytes(StandardCharsets.UTF_8),
        Priority.NORMAL,
        new Position(stream, offset, EPOCH));
  }

  private static Outgoing withoutPosition(String text) {
    return Outgoing.notification(text.getBytes(StandardCharsets.UTF_8), Priority.NORMAL);
  }

  /** The offsets handed on, in order. */
  private List<Long> offsetsHandedOn() {
    return handedOn.stream().map(m -> m.position().orElseThrow().offset()).toList();
  }

  @Test
  void passesEverythingStraightThroughWhileNothingIsHeld() {
    StreamGate gate = gate(10);
    Outgoing news = at(NEWS, 1);
    Outgoing broadcast = withoutPosition("broadcast");

    assertThat(gate.offer(news)).isTrue();
    assertThat(gate.offer(broadcast)).isTrue();

    assertThat(handedOn).containsExactly(news, broadcast);
    assertThat(gate.holds(NEWS)).isFalse();
    assertThat(gate.full()).isFalse();
  }

  @Test
  void aLiveNotificationTheReplayAlreadyHadIsDroppedUntilANewerOnePasses() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    gate.release(NEWS, List.of(at(NEWS, 4), at(NEWS, 5)));

    // Appended on another node before the replay was read, arriving here after it.
    assertThat(gate.offer(at(NEWS, 5))).isTrue();
    assertThat(gate.offer(at(NEWS, 6))).isTrue();
    assertThat(gate.offer(at(SPORTS, 1))).isTrue();

    assertThat(offsetsHandedOn()).containsExactly(4L, 5L, 6L, 1L);
  }

  @Test
  void anEmptyReplaySetsNoFloor() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    gate.release(NEWS, List.of());

    gate.offer(at(NEWS, 1));

    assertThat(offsetsHandedOn()).containsExactly(1L);
  }

  @Test
  void holdsOnlyTheHeldStreamAndLetsOtherStreamsThrough() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    Outgoing heldNews = at(NEWS, 1);
    Outgoing sports = at(SPORTS, 1);

    assertThat(gate.offer(heldNews)).as("a held message counts as taken").isTrue();
    assertThat(gate.offer(sports)).isTrue();

    assertThat(handedOn).containsExactly(sports);
    assertThat(gate.holds(NEWS)).isTrue();
    assertThat(gate.holds(SPORTS)).isFalse();
  }

  @Test
  void messagesWithoutAPositionPassWhileAStreamIsHeld() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    Outgoing rpc = Outgoing.rpc(Encoding.JSON, "{}".getBytes(StandardCharsets.UTF_8));
    Outgoing broadcast = withoutPosition("broadcast");

    assertThat(gate.offer(rpc)).isTrue();
    assertThat(gate.offer(broadcast)).isTrue();

    assertThat(handedOn).containsExactly(rpc, broadcast);
  }

  @Test
  void releaseMergesReplayAndHeldByOffsetEachOffsetOnceInOffsetOrder() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    // Live while catching up: 4, 5, 6; the replay read meanwhile reaches 1..5.
    gate.offer(at(NEWS, 4));
    gate.offer(at(NEWS, 5));
    gate.offer(at(NEWS, 6));
    List<Outgoing> replay =
        List.of(at(NEWS, 1), at(NEWS, 2), at(NEWS, 3), at(NEWS, 4), at(NEWS, 5));

    assertThat(handedOn).isEmpty();
    assertThat(gate.release(NEWS, replay)).isTrue();

    assertThat(offsetsHandedOn()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(gate.holds(NEWS)).isFalse();
  }

  @Test
  void afterReleaseTheStreamPassesStraightThrough() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    gate.release(NEWS, List.of(at(NEWS, 1)));
    Outgoing live = at(NEWS, 2);

    assertThat(gate.offer(live)).isTrue();

    assertThat(handedOn).last().isSameAs(live);
  }

  @Test
  void releasingOneStreamKeepsHoldingAnother() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    gate.hold(SPORTS);
    gate.offer(at(NEWS, 1));
    gate.offer(at(SPORTS, 1));

    gate.release(NEWS, List.of());

    assertThat(handedOn).extracting(m -> m.position().orElseThrow().stream()).containsExactly(NEWS);
    assertThat(gate.holds(SPORTS)).isTrue();
    assertThat(gate.offer(at(SPORTS, 2))).isTrue();
    assertThat(handedOn).hasSize(1);
  }

  @Test
  void theMessageAfterMaxHeldIsRefusedAndFullSaysSo() {
    StreamGate gate = gate(2);
    gate.hold(NEWS);

    assertThat(gate.offer(at(NEWS, 1))).isTrue();
    assertThat(gate.full()).isFalse();
    assertThat(gate.offer(at(NEWS, 2))).isTrue();
    assertThat(gate.full()).isTrue();
    assertThat(gate.offer(at(NEWS, 3))).as("one more than maxHeld").isFalse();

    gate.release(NEWS, List.of());
    assertThat(offsetsHandedOn()).containsExactly(1L, 2L);
    assertThat(gate.full()).as("release empties the gate").isFalse();
  }

  @Test
  void aMessageOfferedWhileReleaseHandsOnTheReplayGoesOutAfterIt() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<StreamGate> gate = new AtomicReference<>();
      AtomicReference<Thread> offering = new AtomicReference<>();
      AtomicReference<Future<Boolean>> live = new AtomicReference<>();
      gate.set(
          new StreamGate(
              message -> {
                handedOn.add(message);
                if (live.get() == null) {
                  // The first replayed message is out: a live one comes from another thread now.
                  Future<Boolean> offer =
                      other.submit(
                          () -> {
                            offering.set(Thread.currentThread());
                            return gate.get().offer(at(NEWS, 3));
                          });
                  live.set(offer);
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(() -> offer.isDone() || waiting(offering.get()));
                }
                return true;
              },
              10));
      gate.get().hold(NEWS);

      assertThat(gate.get().release(NEWS, List.of(at(NEWS, 1), at(NEWS, 2)))).isTrue();

      assertThat(live.get()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
      assertThat(offsetsHandedOn()).containsExactly(1L, 2L, 3L);
    } finally {
      other.shutdownNow();
      assertThat(other.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static boolean waiting(Thread thread) {
    return thread != null
        && (thread.getState() == Thread.State.BLOCKED || thread.getState() == Thread.State.WAITING);
  }

  @Test
  void releaseReportsADeviceThatRefused() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    gate.offer(at(NEWS, 1));
    refusing = true;

    assertThat(gate.release(NEWS, List.of())).isFalse();
  }

  @Test
  void releaseWithAReplayMessageOfAnotherStreamThrows() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);

    assertThatThrownBy(() -> gate.release(NEWS, List.of(at(NEWS, 1), at(SPORTS, 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not in");
    assertThat(handedOn).isEmpty();
  }

  @Test
  void releaseWithAReplayMessageWithoutPositionThrows() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);

    assertThatThrownBy(() -> gate.release(NEWS, List.of(withoutPosition("stray"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no position");
  }

  @Test
  void aRefusedReleaseLeavesTheStreamHeldWithWhatItHeld() {
    StreamGate gate = gate(2);
    gate.hold(NEWS);
    gate.offer(at(NEWS, 1));
    gate.offer(at(NEWS, 2));

    assertThatThrownBy(() -> gate.release(NEWS, List.of(at(SPORTS, 1))))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(gate.holds(NEWS)).isTrue();
    assertThat(gate.release(NEWS, List.of())).isTrue();
    assertThat(offsetsHandedOn()).containsExactly(1L, 2L);
    assertThat(gate.full()).isFalse();
  }

  @Test
  void holdingTwiceKeepsWhatIsHeld() {
    StreamGate gate = gate(10);
    gate.hold(NEWS);
    gate.offer(at(NEWS, 1));

    gate.hold(NEWS);
    gate.release(NEWS, List.of());

    assertThat(offsetsHandedOn()).containsExactly(1L);
  }

  @Test
  void maxHeldMustBeAtLeastOne() {
    assertThatThrownBy(() -> gate(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxHeld must be at least 1, got 0");
  }
}
