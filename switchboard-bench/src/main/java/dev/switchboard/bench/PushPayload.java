package dev.switchboard.bench;

/**
 * The payload the publisher sends, {@code {"bench_seq":N,"bench_t":T,"pad":"xxx"}}: a sequence
 * number, the publisher's {@link System#nanoTime()} when it sent the request (receivers in the same
 * JVM subtract it from theirs), and padding up to the payload size asked for. Both servers forward
 * the payload untouched inside their own envelope, so a receiver finds the two numbers by their
 * keys without parsing the whole message.
 */
final class PushPayload {

  private static final String SEQ_KEY = "\"bench_seq\"";
  private static final String TIME_KEY = "\"bench_t\"";

  private PushPayload() {}

  /**
   * The payload's JSON text: {@code bytes} long, or longer when the two numbers alone need more
   * (about 50 bytes).
   */
  static String of(long seq, long sentNanos, int bytes) {
    StringBuilder json = new StringBuilder(Math.max(bytes, 64));
    json.append("{")
        .append(SEQ_KEY)
        .append(':')
        .append(seq)
        .append(',')
        .append(TIME_KEY)
        .append(':')
        .append(sentNanos)
        .append(",\"pad\":\"");
    int padding = bytes - json.length() - 2;
    for (int i = 0; i < padding; i++) {
      json.append('x');
    }
    return json.append("\"}").toString();
  }

  /**
   * The sequence number in {@code message}, or {@link Long#MIN_VALUE} when it carries no payload of
   * ours.
   */
  static long seq(String message) {
    return number(message, SEQ_KEY);
  }

  /**
   * The publisher's send time in {@code message}, or {@link Long#MIN_VALUE} when it carries none.
   */
  static long sentNanos(String message) {
    return number(message, TIME_KEY);
  }

  /**
   * The integer after {@code "key":} (white space allowed around the colon), or {@link
   * Long#MIN_VALUE}. Long.MIN can stand for "absent": the publisher never sends it (a sequence
   * number is not negative, and nanoTime values that far from zero would mean a clock that
   * overflows within the run).
   */
  private static long number(String message, String key) {
    int at = message.indexOf(key);
    if (at < 0) {
      return Long.MIN_VALUE;
    }
    int i = skipSpaces(message, at + key.length());
    if (i >= message.length() || message.charAt(i) != ':') {
      return Long.MIN_VALUE;
    }
    i = skipSpaces(message, i + 1);
    boolean negative = i < message.length() && message.charAt(i) == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long value = 0;
    for (; i < message.length() && i - start < 19; i++) {
      char c = message.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    if (i == start) {
      return Long.MIN_VALUE;
    }
    return negative ? -value : value;
  }

  private static int skipSpaces(String s, int from) {
    int i = from;
    while (i < s.length() && isJsonSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
