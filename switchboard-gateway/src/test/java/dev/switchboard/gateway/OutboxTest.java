package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.Outbox.Offer;
import dev.switchboard.jsonrpc.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An outbox writes in order within its window, and when full drops the oldest Low and Normal
 * notifications; what may not be dropped makes the offer overflow.
 */
class OutboxTest {

  private static final Offer ACCEPTED = new Offer.Accepted(0);

  /** A window of one byte: one message in flight at a time, the rest wait. */
  private static final int ONE_AT_A_TIME = 1;

  private final RecordingSink sink = new RecordingSink();

  /** A message whose bytes are {@code label} padded with '.' to {@code size}. */
  private static byte[] bytes(String label, int size) {
    return (label + ".".repeat(Math.max(0, size - label.length())))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Outgoing note(String label, Priority priority) {
    return Outgoing.notification(bytes(label, 0), priority);
  }

  private static Outgoing note(String label, Priority priority, int size) {
    return Outgoing.notification(bytes(label, size), priority);
  }

  private static Outgoing rpc(String label) {
    return Outgoing.rpc(Encoding.JSON, bytes(label, 0));
  }

  private static Outgoing rpc(String label, int size) {
    return Outgoing.rpc(Encoding.MSGPACK, bytes(label, size));
  }

  private static List<String> labels(List<Outgoing> messages) {
    return messages.stream()
        .map(m -> new String(m.bytes(), StandardCharsets.UTF_8).replaceAll("\\.+$", ""))
        .toList();
  }

  @Test
  void messagesAreWrittenInTheOrderOffered() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 1_000, ONE_AT_A_TIME), sink);

    assertThat(outbox.offer(note("a", Priority.LOW))).isEqualTo(ACCEPTED);
    assertThat(outbox.offer(rpc("b"))).isEqualTo(ACCEPTED);
    assertThat(outbox.offer(note("c", Priority.CRITICAL))).isEqualTo(ACCEPTED);
    assertThat(outbox.offer(note("d", Priority.NORMAL))).isEqualTo(ACCEPTED);
    sink.completeAll();

    assertThat(labels(sink.written())).containsExactly("a", "b", "c", "d");
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void aWriteWaitsUntilTheWindowHasRoom() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 1_000, 10), sink);

    outbox.offer(rpc("m1", 5));
    outbox.offer(rpc("m2", 5));
    outbox.offer(rpc("m3", 5));

    assertThat(labels(sink.written())).containsExactly("m1", "m2");
    assertThat(outbox.waitingMessages()).isEqualTo(1);
    assertThat(outbox.waitingBytes()).isEqualTo(5);

    sink.completeOldest();

    assertThat(labels(sink.written())).containsExactly("m1", "m2", "m3");
    assertThat(outbox.waitingMessages()).isZero();
    assertThat(sink.maxInFlightBytes()).isEqualTo(10);
  }

  @Test
  void bytesInFlightNeverExceedTheWindow() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 1_000, 10), sink);

    outbox.offer(rpc("m1", 6));
    outbox.offer(rpc("m2", 6));
    outbox.offer(rpc("m3", 6));

    assertThat(labels(sink.written())).containsExactly("m1");
    sink.completeAll();
    assertThat(labels(sink.written())).containsExactly("m1", "m2", "m3");
    assertThat(sink.maxInFlightBytes()).isLessThanOrEqualTo(10);
  }

  @Test
  void aMessageLargerThanTheWindowIsWrittenWhenNothingElseIsInFlight() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 1_000, 4), sink);

    outbox.offer(rpc("big", 10));
    outbox.offer(rpc("next", 4));

    assertThat(labels(sink.written())).containsExactly("big");
    sink.completeOldest();
    assertThat(labels(sink.written())).containsExactly("big", "next");
  }

  @Test
  void aFullQueueDropsItsOldestLowAndNormalNotificationsFirst() {
    Outbox outbox = new Outbox(new OutboxLimits(3, 1_000, ONE_AT_A_TIME), sink);
    outbox.offer(rpc("in-flight"));
    outbox.offer(note("high1", Priority.HIGH));
    outbox.offer(note("low1", Priority.LOW));
    outbox.offer(note("normal1", Priority.NORMAL));

    assertThat(outbox.offer(note("high2", Priority.HIGH))).isEqualTo(new Offer.Accepted(1));
    assertThat(outbox.offer(note("low2", Priority.LOW))).isEqualTo(new Offer.Accepted(1));
    assertThat(outbox.offer(note("critical", Priority.CRITICAL))).isEqualTo(new Offer.Accepted(1));

    assertThat(outbox.dropped()).isEqualTo(3);
    sink.completeAll();
    assertThat(labels(sink.written())).containsExactly("in-flight", "high1", "high2", "critical");
  }

  @Test
  void asManyNotificationsAreDroppedAsTheBytesRequire() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 40, ONE_AT_A_TIME), sink);
    outbox.offer(rpc("in-flight"));
    outbox.offer(note("low", Priority.LOW, 10));
    outbox.offer(note("high", Priority.HIGH, 10));
    outbox.offer(note("normal", Priority.NORMAL, 10));
    outbox.offer(note("low-too", Priority.LOW, 10));

    // 40 bytes wait; 20 more need 20 freed: the two oldest droppable go, the third stays.
    assertThat(outbox.offer(note("big", Priority.HIGH, 20))).isEqualTo(new Offer.Accepted(2));

    assertThat(outbox.waitingBytes()).isEqualTo(40);
    assertThat(outbox.dropped()).isEqualTo(2);
    sink.completeAll();
    assertThat(labels(sink.written())).containsExactly("in-flight", "high", "low-too", "big");
  }

  @Test
  void highCriticalAndRpcMessagesAreNeverDropped() {
    Outbox outbox = new Outbox(new OutboxLimits(3, 1_000, ONE_AT_A_TIME), sink);
    outbox.offer(rpc("in-flight"));
    outbox.offer(note("high", Priority.HIGH));
    outbox.offer(rpc("answer"));
    outbox.offer(note("critical", Priority.CRITICAL));

    Offer offer = outbox.offer(note("low", Priority.LOW));

    assertThat(offer)
        .isInstanceOfSatisfying(
            Offer.Overflow.class,
            overflow ->
                assertThat(overflow.reason())
                    .startsWith("slow consumer")
                    .contains("3 messages", "limits 3 messages / 1000 bytes"));
    assertThat(outbox.offer(rpc("another answer"))).isInstanceOf(Offer.Overflow.class);
    assertThat(outbox.waitingMessages()).isEqualTo(3);
    assertThat(outbox.dropped()).isZero();
    sink.completeAll();
    assertThat(labels(sink.written())).containsExactly("in-flight", "high", "answer", "critical");
  }

  @Test
  void theByteLimitOverflowsWhenOnlyUndroppableMessagesWait() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 25, ONE_AT_A_TIME), sink);
    outbox.offer(rpc("in-flight"));
    outbox.offer(note("high", Priority.HIGH, 10));
    outbox.offer(rpc("answer", 10));

    assertThat(outbox.offer(note("normal", Priority.NORMAL, 10)))
        .isInstanceOfSatisfying(
            Offer.Overflow.class,
            overflow ->
                assertThat(overflow.reason())
                    .startsWith("slow consumer")
                    .contains("(20 bytes)", "25 bytes"));
    assertThat(outbox.waitingBytes()).isEqualTo(20);

    assertThat(outbox.offer(note("fits", Priority.NORMAL, 5))).isEqualTo(ACCEPTED);
    assertThat(outbox.waitingBytes()).isEqualTo(25);
  }

  @Test
  void aClosedOutboxRefusesOffersAndForgetsWhatWaits() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 1_000, ONE_AT_A_TIME), sink);
    outbox.offer(rpc("in-flight"));
    outbox.offer(rpc("waiting1"));
    outbox.offer(note("waiting2", Priority.HIGH));

    outbox.close();

    assertThat(outbox.offer(rpc("late"))).isEqualTo(new Offer.Closed());
    assertThat(outbox.waitingMessages()).isZero();
    assertThat(outbox.waitingBytes()).isZero();
    assertThat(outbox.isEmpty()).as("the write in flight is not done").isFalse();
    sink.completeOldest();
    assertThat(outbox.isEmpty()).isTrue();
    assertThat(labels(sink.written())).containsExactly("in-flight");
  }

  @Test
  void isEmptyOnlyWhenNothingWaitsAndNothingIsInFlight() {
    Outbox outbox = new Outbox(new OutboxLimits(100, 1_000, ONE_AT_A_TIME), sink);
    assertThat(outbox.isEmpty()).isTrue();

    outbox.offer(rpc("first"));
    assertThat(outbox.isEmpty()).isFalse();
    outbox.offer(rpc("second"));
    sink.completeOldest();
    assertThat(outbox.isEmpty()).as("second in flight").isFalse();
    sink.completeOldest();

    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void aSinkThatCompletesInsideWriteTakesEveryMessageAtOnce() {
    sink.completeSynchronously();
    Outbox outbox = new Outbox(new OutboxLimits(1_000, 1_000_000, ONE_AT_A_TIME), sink);

    for (int i = 0; i < 100_000; i++) {
      assertThat(outbox.offer(rpc(Integer.toString(i)))).isEqualTo(ACCEPTED);
    }

    assertThat(labels(sink.written()))
        .isEqualTo(IntStream.range(0, 100_000).mapToObj(Integer::toString).toList());
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void aLongBacklogDrainedBySynchronousCompletionsDoesNotRecurse() {
    Outbox outbox = new Outbox(new OutboxLimits(100_000, 10_000_000, ONE_AT_A_TIME), sink);
    for (int i = 0; i < 100_000; i++) {
      outbox.offer(note(Integer.toString(i), Priority.HIGH));
    }
    assertThat(sink.writtenCount()).isEqualTo(1);

    sink.completeSynchronously();
    sink.completeOldest(); // each write now completes inside the next, 99,999 deep if the pump
    // recursed

    assertThat(labels(sink.written()))
        .isEqualTo(IntStream.range(0, 100_000).mapToObj(Integer::toString).toList());
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new OutboxLimits(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outbound queue messages must be at least 1, got 0");
    assertThatThrownBy(() -> new OutboxLimits(1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outbound queue bytes must be at least 1, got 0");
    assertThatThrownBy(() -> new OutboxLimits(1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outbound window bytes must be at least 1, got 0");
  }
}
