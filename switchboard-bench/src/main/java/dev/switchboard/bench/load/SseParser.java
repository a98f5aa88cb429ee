package dev.switchboard.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} (WHATWG HTML, "Server-sent events", the event stream
 * interpretation) from its bytes, as they arrive: chunks may split it anywhere, inside a line or a
 * UTF-8 character, so only whole lines of bytes are decoded. Lines end with CRLF, LF or CR; an
 * event ends at a blank line. Fields: {@code event} (the type; {@code message} when none), {@code
 * data} (its lines joined with {@code \n}), {@code id} (the last event id, which carries over to
 * later events), {@code retry} and unknown ones ignored, lines starting with {@code :} are
 * comments. An event without data is not dispatched. Not thread-safe: a parser belongs to one
 * stream.
 */
final class SseParser {

  /**
   * One event.
   *
   * @param type its {@code event} field; {@code message} when it had none
   * @param data its {@code data} lines, joined with {@code \n}
   * @param lastEventId the last {@code id} of the stream so far; empty when none yet
   */
  record Event(String type, String data, String lastEventId) {}

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final Consumer<Event> events;
  private final int maxLineBytes;

  private byte[] line = new byte[256];
  private int lineLength;

  /** The last byte was a CR: an LF right after it ends no further line. */
  private boolean afterCr;

  /** No line was read yet: a UTF-8 BOM at its start is dropped. */
  private boolean firstLine = true;

  private String type = "";
  private final StringBuilder data = new StringBuilder();
  private String lastEventId = "";

  /**
   * @param events receives each event as its blank line is read
   * @param maxLineBytes the longest line accepted
   */
  SseParser(Consumer<Event> events, int maxLineBytes) {
    this.events = Objects.requireNonNull(events, "events");
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Reads {@code length} bytes of {@code bytes} from {@code offset}; the events they complete go to
   * the consumer before this returns.
   *
   * @throws IllegalArgumentException when a line passes the limit
   */
  void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int start = offset;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b != CR && b != LF) {
        continue;
      }
      if (b == LF && afterCr && i == start && lineLength == 0) {
        afterCr = false; // the LF of a CRLF
        start = i + 1;
        continue;
      }
      append(bytes, start, i - start);
      endLine();
      afterCr = b == CR;
      start = i + 1;
    }
    if (start < end) {
      afterCr = false;
      append(bytes, start, end - start);
    }
  }

  /** {@link #feed(byte[], int, int)} of all of {@code bytes}. */
  void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  private void append(byte[] bytes, int from, int count) {
    if (count == 0) {
      return;
    }
    if (lineLength + count > maxLineBytes) {
      throw new IllegalArgumentException(
          "an event stream line of more than " + maxLineBytes + " bytes");
    }
    if (lineLength + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
    }
    System.arraycopy(bytes, from, line, lineLength, count);
    lineLength += count;
  }

  private void endLine() {
    int from = 0;
    if (firstLine) {
      firstLine = false;
      if (lineLength >= 3
          && line[0] == (byte) 0xEF
          && line[1] == (byte) 0xBB
          && line[2] == (byte) 0xBF) {
        from = 3;
      }
    }
    String text = new String(line, from, lineLength - from, StandardCharsets.UTF_8);
    lineLength = 0;
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      return; // a comment
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = "";
    if (colon >= 0) {
      int valueStart = colon + 1;
      if (valueStart < text.length() && text.charAt(valueStart) == ' ') {
        valueStart++;
      }
      value = text.substring(valueStart);
    }
    switch (field) {
      case "event" -> type = value;
      case "data" -> data.append(value).append('\n');
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      default -> {} // retry, and fields this stream does not know
    }
  }

  private void dispatch() {
    if (data.isEmpty()) {
      type = "";
      return;
    }
    String text = data.substring(0, data.length() - 1);
    String eventType = type.isEmpty() ? "message" : type;
    data.setLength(0);
    type = "";
    events.accept(new Event(eventType, text, lastEventId));
  }
}
