package dev.switchboard.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The payload the publisher sends, {@code {"bench_seq":N,"bench_t":T,...}}: a sequence number, the
 * publisher's {@link System#nanoTime()} when it sent the request (receivers in the same JVM
 * subtract it from theirs), and content up to the payload size asked for, in one of two {@link
 * Shape}s. Both servers forward the payload untouched inside their own envelope, so a receiver
 * finds the two numbers by their keys without parsing the whole message.
 */
final class PushPayload {

  /** What fills a payload after its two numbers; {@link #key()} is the {@code --payload} value. */
  enum Shape {
    /** {@code "pad":"xxx..."}: the cheapest to make and parse, and deflates to almost nothing. */
    PADDED("padded"),
    /**
     * An order-update notification such as a shop's API sends: a customer, line items with random
     * ids, titles, prices and tags, a status and a timestamp; each message different (drawn from
     * its sequence number), deflating to about a third, as real JSON does.
     */
    JSON("json");

    private final String key;

    Shape(String key) {
      this.key = key;
    }

    String key() {
      return key;
    }

    static Shape fromKey(String key) {
      for (Shape shape : values()) {
        if (shape.key.equals(key)) {
          return shape;
        }
      }
      throw new IllegalArgumentException("unknown payload '" + key + "'; expected padded or json");
    }
  }

  private static final String[] FIRST = {
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Radia", "Linus"
  };
  private static final String[] LAST = {
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Perlman"
  };
  private static final String[] ADJECTIVES = {
    "wireless", "organic", "compact", "stainless", "vintage", "ergonomic", "waterproof", "smart"
  };
  private static final String[] NOUNS = {
    "headphones", "coffee beans", "desk lamp", "water bottle", "backpack", "keyboard", "tea kettle"
  };
  private static final String[] TAGS = {"sale", "new", "gift", "eco", "bestseller", "bundle"};
  private static final String[] STATUSES = {"paid", "packed", "shipped", "delivered"};

  private static final String SEQ_KEY = "\"bench_seq\"";
  private static final String TIME_KEY = "\"bench_t\"";

  private PushPayload() {}

  /**
   * The payload's JSON text in {@code shape}: {@code bytes} long, or longer when the two numbers
   * (about 50 bytes; with {@link Shape#JSON}, the order's head, about 250) alone need more.
   */
  static String of(long seq, long sentNanos, int bytes, Shape shape) {
    return switch (shape) {
      case PADDED -> of(seq, sentNanos, bytes);
      case JSON -> order(seq, sentNanos, bytes);
    };
  }

  /**
   * The padded payload's JSON text: {@code bytes} long, or longer when the two numbers alone need
   * more (about 50 bytes).
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

  /** An order-update notification of {@code bytes} (ASCII, so as many characters). */
  private static String order(long seq, long sentNanos, int bytes) {
    SplittableRandom random = new SplittableRandom(seq);
    String first = pick(random, FIRST);
    String last = pick(random, LAST);
    StringBuilder json = new StringBuilder(Math.max(bytes, 512));
    json.append('{')
        .append(SEQ_KEY)
        .append(':')
        .append(seq)
        .append(',')
        .append(TIME_KEY)
        .append(':')
        .append(sentNanos)
        .append(",\"type\":\"order.updated\",\"order\":{\"id\":\"ord_")
        .append(hex(random))
        .append("\",\"customer\":{\"id\":\"cus_")
        .append(hex(random))
        .append("\",\"name\":\"")
        .append(first)
        .append(' ')
        .append(last)
        .append("\",\"email\":\"")
        .append(first.toLowerCase(Locale.ROOT))
        .append('.')
        .append(last.toLowerCase(Locale.ROOT))
        .append("@example.com\"},\"status\":\"")
        .append(pick(random, STATUSES))
        .append("\",\"updated_at\":\"2026-12-")
        .append(
            String.format(
                Locale.ROOT,
                "%02dT%02d:%02d:%02d.%03dZ",
                1 + random.nextInt(28),
                random.nextInt(24),
                random.nextInt(60),
                random.nextInt(60),
                random.nextInt(1000)))
        .append("\",\"currency\":\"EUR\",\"items\":[");
    String end = "],\"note\":\"\"}}";
    int itemsStart = json.length();
    while (true) {
      String item = item(random);
      int separator = json.length() > itemsStart ? 1 : 0;
      if (json.length() + separator + item.length() + end.length() > bytes) {
        break;
      }
      if (separator == 1) {
        json.append(',');
      }
      json.append(item);
    }
    json.append("],\"note\":\"");
    for (int i = 0; json.length() + 3 < bytes; i++) {
      json.append(i % 6 == 5 ? ' ' : (char) ('a' + random.nextInt(26)));
    }
    return json.append("\"}}").toString();
  }

  private static String item(SplittableRandom random) {
    return "{\"sku\":\"SKU-"
        + (10_000 + random.nextInt(90_000))
        + "\",\"title\":\""
        + pick(random, ADJECTIVES)
        + ' '
        + pick(random, NOUNS)
        + "\",\"qty\":"
        + (1 + random.nextInt(5))
        + ",\"unit_price_cents\":"
        + (199 + random.nextInt(50_000))
        + ",\"tags\":[\""
        + pick(random, TAGS)
        + "\",\""
        + pick(random, TAGS)
        + "\"]}";
  }

  private static String pick(SplittableRandom random, String[] words) {
    return words[random.nextInt(words.length)];
  }

  private static String hex(SplittableRandom random) {
    return String.format(Locale.ROOT, "%016x", random.nextLong());
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
