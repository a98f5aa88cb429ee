package dev.switchboard.redis;

import static dev.switchboard.redis.RedisEngine.number;
import static dev.switchboard.redis.RedisEngine.utf8;

import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Replay;
import dev.switchboard.gateway.StreamEntry;
import dev.switchboard.gateway.StreamId;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The streams of one kind ({@code channel} or {@code inbox}) in Redis: what channel histories and
 * inboxes do alike (a position, a replay, totals), through the scripts of {@link StreamScripts}.
 * Thread-safe: it holds no state of its own.
 */
final class RedisStreams {

  private static final String[] NO_KEYS = new String[0];

  private final RedisEngine engine;
  private final String prefix;
  private final String kind;
  private final int maxStreams;
  private final long gcMillis;
  private final Function<String, StreamId> ids;

  /**
   * @param prefix the library's prefix (every key of the store starts with it)
   * @param gcMillis the real-time TTL the stream's keys get at least, for garbage collection
   */
  RedisStreams(
      RedisEngine engine,
      String prefix,
      String kind,
      int maxStreams,
      long gcMillis,
      Function<String, StreamId> ids) {
    this.engine = engine;
    this.prefix = prefix;
    this.kind = kind;
    this.maxStreams = maxStreams;
    this.gcMillis = gcMillis;
    this.ids = ids;
  }

  String prefix() {
    return prefix;
  }

  long gcMillis() {
    return gcMillis;
  }

  int maxStreams() {
    return maxStreams;
  }

  Position position(String name, Instant now) {
    StreamId id = ids.apply(name);
    List<Object> answer =
        run("read a stream's position", StreamScripts.POSITION, openArgs(name, now));
    return new Position(id, asLong(answer.get(0)), asText(answer.get(1)));
  }

  Replay since(String name, long offset, String epoch, Instant now) {
    StreamId id = ids.apply(name);
    byte[][] args = append(openArgs(name, now), number(offset), utf8(epoch));
    List<Object> answer = run("replay a stream", StreamScripts.SINCE, args);
    Position top = new Position(id, asLong(answer.get(1)), asText(answer.get(2)));
    boolean recovered = asLong(answer.get(0)) == 1;
    return new Replay(recovered, entries(answer, 3), top);
  }

  /** {streams, entries, queued, awaiting, evicted, expired, dropped}. */
  long[] totals(Instant now) {
    List<Object> answer =
        run(
            "count streams",
            StreamScripts.TOTALS,
            new byte[][] {utf8(prefix), utf8(kind), number(now.toEpochMilli()), number(gcMillis)});
    long[] out = new long[answer.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = asLong(answer.get(i));
    }
    return out;
  }

  /** Runs a script of the library whose answer is an array. */
  List<Object> run(String operation, LuaScript script, byte[]... args) {
    return engine.call(
        operation,
        c -> RedisEngine.<List<Object>>eval(c, script, ScriptOutputType.MULTI, NO_KEYS, args));
  }

  /** The position's and replay's arguments: prefix, kind, name, now, max, new epoch, gc. */
  private byte[][] openArgs(String name, Instant now) {
    return new byte[][] {
      utf8(prefix),
      utf8(kind),
      utf8(name),
      number(now.toEpochMilli()),
      number(maxStreams),
      utf8(Position.newEpoch()),
      number(gcMillis)
    };
  }

  private static byte[][] append(byte[][] first, byte[]... more) {
    byte[][] out = new byte[first.length + more.length][];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(more, 0, out, first.length, more.length);
    return out;
  }

  /** The entries of a script's answer from index {@code from}: offset, id, message, expiry. */
  static List<StreamEntry> entries(List<Object> answer, int from) {
    List<StreamEntry> out = new ArrayList<>((answer.size() - from) / 4);
    for (int i = from; i + 3 < answer.size(); i += 4) {
      out.add(
          new StreamEntry(
              asLong(answer.get(i)),
              UUID.fromString(asText(answer.get(i + 1))),
              (byte[]) answer.get(i + 2),
              Instant.ofEpochMilli(Long.parseLong(asText(answer.get(i + 3))))));
    }
    return out;
  }

  /** A script's integer answer. */
  static long asLong(Object value) {
    return switch (value) {
      case Long l -> l;
      case byte[] b -> Long.parseLong(asText(b));
      default -> throw new IllegalStateException("a script answered " + value + ", not a number");
    };
  }

  /** A script's string answer. */
  static String asText(Object value) {
    if (value instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    throw new IllegalStateException("a script answered " + value + ", not a string");
  }

  /** {@code value}'s whole milliseconds as a script argument. */
  static byte[] millis(Instant value) {
    return number(value.toEpochMilli());
  }
}
