package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SseParser}: the event stream format, whatever the chunks. */
class LoadSseParserTest {

  /**
   * A stream with every line ending, a BOM, comments, multi-line data, multi-byte characters (two,
   * three and four bytes in UTF-8), an id carried over, and events that are not dispatched.
   */
  private static final String STREAM =
      "\uFEFFevent: connected\r\n"
          + "data: {\"connection_id\":\"c1\",\"user_id\":\"anonymous-1\"}\r\n"
          + "\r\n"
          + ": a comment, ignored\n"
          + "retry: 1000\n"
          + "event: notification\n"
          + "id: 7-abc\n"
          + "data: {\"id\":\"n1\",\"payload\":{\"text\":\"café € 😀\",\"sent_nanos\":42}}\n"
          + "\n"
          + "event:heartbeat\r"
          + "data:{\"timestamp\":\"2026-01-01T00:00:00.000Z\"}\r"
          + "\r"
          + "event: nothing\n"
          + "\n"
          + "data: first\n"
          + "data\n"
          + "data:  two spaces\n"
          + "unknown: field\n"
          + "\n"
          + "event: notification\r\n"
          + "data: {\"id\":\"n2\",\"payload\":{}}\r\n"
          + "\r\n"
          + "event: partial\n"
          + "data: never finished\n";

  private static final List<SseParser.Event> EXPECTED =
      List.of(
          new SseParser.Event(
              "connected", "{\"connection_id\":\"c1\",\"user_id\":\"anonymous-1\"}", ""),
          new SseParser.Event(
              "notification",
              "{\"id\":\"n1\",\"payload\":{\"text\":\"café € 😀\",\"sent_nanos\":42}}",
              "7-abc"),
          new SseParser.Event("heartbeat", "{\"timestamp\":\"2026-01-01T00:00:00.000Z\"}", "7-abc"),
          new SseParser.Event("message", "first\n\n two spaces", "7-abc"),
          new SseParser.Event("notification", "{\"id\":\"n2\",\"payload\":{}}", "7-abc"));

  private static final byte[] BYTES = STREAM.getBytes(StandardCharsets.UTF_8);

  @Test
  void readsTheWholeStreamInOneChunk() {
    assertThat(parse(List.of(BYTES))).isEqualTo(EXPECTED);
  }

  @Test
  void readsTheSameWhereverOneSplitFalls() {
    for (int at = 0; at <= BYTES.length; at++) {
      assertThat(parse(List.of(slice(0, at), slice(at, BYTES.length))))
          .as("split at byte %d", at)
          .isEqualTo(EXPECTED);
    }
  }

  @Test
  void readsTheSameWhereverTwoSplitsFall() {
    for (int a = 0; a <= BYTES.length; a++) {
      for (int b = a; b <= BYTES.length; b++) {
        List<SseParser.Event> events =
            parse(List.of(slice(0, a), slice(a, b), slice(b, BYTES.length)));
        if (!events.equals(EXPECTED)) {
          assertThat(events).as("split at bytes %d and %d", a, b).isEqualTo(EXPECTED);
        }
      }
    }
  }

  @Test
  void readsTheSameOneByteAtATime() {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < BYTES.length; i++) {
      chunks.add(slice(i, i + 1));
    }
    assertThat(parse(chunks)).isEqualTo(EXPECTED);
  }

  @Test
  void eventsArriveWithTheChunkThatEndsThem() {
    List<SseParser.Event> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add, 1024);
    parser.feed("event: notification\ndata: {}\n".getBytes(StandardCharsets.UTF_8));
    assertThat(events).isEmpty();
    parser.feed("\n".getBytes(StandardCharsets.UTF_8));
    assertThat(events).containsExactly(new SseParser.Event("notification", "{}", ""));
  }

  @Test
  void readsAnOffsetAndLengthOfTheArray() {
    List<SseParser.Event> events = new ArrayList<>();
    byte[] padded = "xxdata: a\n\nyy".getBytes(StandardCharsets.UTF_8);
    new SseParser(events::add, 1024).feed(padded, 2, padded.length - 4);
    assertThat(events).containsExactly(new SseParser.Event("message", "a", ""));
  }

  @Test
  void aLineOverTheLimitIsAnError() {
    SseParser parser = new SseParser(e -> {}, 16);
    parser.feed("data: 0123456789".getBytes(StandardCharsets.UTF_8)); // 16 bytes: fine
    assertThatThrownBy(() -> parser.feed("X".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 bytes");
  }

  @Test
  void theNotificationParamsGiveIdAndSentNanos() {
    assertThat(DeviceMessages.delivery(EXPECTED.get(1).data()))
        .isEqualTo(new DeviceMessages.Delivery("n1", 42));
    assertThat(DeviceMessages.delivery(EXPECTED.get(4).data()))
        .isEqualTo(new DeviceMessages.Delivery("n2", -1));
  }

  private static byte[] slice(int from, int to) {
    return java.util.Arrays.copyOfRange(BYTES, from, to);
  }

  private static List<SseParser.Event> parse(List<byte[]> chunks) {
    List<SseParser.Event> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add, 1 << 16);
    chunks.forEach(parser::feed);
    return events;
  }
}
