package dev.switchboard.server;

import dev.switchboard.gateway.Names;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code id} of an SSE event: where every stream the connection follows stood when the event
 * was written, so that a reconnect with {@code Last-Event-ID} resumes exactly after it.
 *
 * <p>Format: entries {@code key:offset:epoch} separated by commas, for example {@code
 * ~:12:k3j9x0ab,orders:7:0p2mz1qq}.
 *
 * <ul>
 *   <li>{@code key}: {@code ~} for the user's own inbox (the connection belongs to one user, so the
 *       user is implied), else a channel name (1-64 of {@code [A-Za-z0-9._-]}, so never {@code ~},
 *       {@code :} or {@code ,});
 *   <li>{@code offset}: the offset of the stream's latest notification the connection has, in
 *       decimal (0: none yet);
 *   <li>{@code epoch}: the stream's epoch, 1-64 of {@code [0-9a-z]}; an offset means nothing in
 *       another epoch.
 * </ul>
 *
 * Each key appears at most once; the inbox comes first, then channels in subscription order. A
 * stream the id does not name is joined afresh on reconnect (the inbox: its owed notifications; a
 * channel: live from then on). Immutable.
 *
 * @param entries the streams and their positions, in order
 */
record SseEventId(List<Entry> entries) {

  /** Longest id accepted: room for the inbox and 100 channels of the longest names. */
  static final int MAX_CHARS = 10_000;

  /** Longest epoch accepted. */
  static final int MAX_EPOCH_CHARS = 64;

  private static final String EXAMPLE = "~:12:k3j9x0ab,orders:7:0p2mz1qq";

  /**
   * One stream's position, its stream named by its key ({@link StreamId#key()}).
   *
   * @param key {@link StreamId#INBOX_KEY} or a channel name
   */
  record Entry(String key, long offset, String epoch) {
    Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(epoch, "epoch");
    }

    /**
     * The position this entry names, {@code user}'s own when it is the inbox, else of the channel
     * of that user's tenant ({@code user} is a user's key, {@link Tenant#user}).
     */
    Position at(String user) {
      StreamId stream =
          key.equals(StreamId.INBOX_KEY)
              ? new StreamId.Inbox(user)
              : new StreamId.Channel(Tenant.ofUser(user).channel(key));
      return new Position(stream, offset, epoch);
    }
  }

  SseEventId {
    entries = List.copyOf(entries);
  }

  /**
   * Reads an id as {@link #format} writes it.
   *
   * @throws IllegalArgumentException saying what is wrong, with the offending entry
   */
  static SseEventId parse(String id) {
    Objects.requireNonNull(id, "id");
    if (id.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "the last event id is " + id.length() + " characters long; the limit is " + MAX_CHARS);
    }
    String[] parts = id.split(",", -1);
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      Entry entry = entry(parts[i], i + 1, parts.length);
      if (entries.putIfAbsent(entry.key(), entry) != null) {
        throw new IllegalArgumentException(
            problem(parts[i], i + 1, parts.length, "stream " + entry.key() + " appears twice"));
      }
    }
    return new SseEventId(new ArrayList<>(entries.values()));
  }

  private static Entry entry(String text, int n, int of) {
    String[] fields = text.split(":", -1);
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          problem(text, n, of, "expected key:offset:epoch, e.g. " + EXAMPLE));
    }
    String key = fields[0];
    if (!key.equals(StreamId.INBOX_KEY) && !Names.isChannel(key)) {
      throw new IllegalArgumentException(
          problem(
              text,
              n,
              of,
              "the key must be ~ (the inbox) or a channel name of 1-"
                  + Names.MAX_CHANNEL_LENGTH
                  + " letters, digits, '-', '_' and '.'"));
    }
    long offset = offset(fields[1]);
    if (offset < 0) {
      throw new IllegalArgumentException(
          problem(text, n, of, "the offset must be a whole number from 0 to " + Long.MAX_VALUE));
    }
    if (!isEpoch(fields[2])) {
      throw new IllegalArgumentException(
          problem(
              text,
              n,
              of,
              "the epoch must be 1-" + MAX_EPOCH_CHARS + " lowercase letters and digits"));
    }
    return new Entry(key, offset, fields[2]);
  }

  /** The decimal {@code text}, or -1 when it is not one (signs, spaces and overflow included). */
  private static long offset(String text) {
    if (text.isEmpty() || text.length() > 19) {
      return -1;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return -1;
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) { // 19 digits beyond Long.MAX_VALUE
      return -1;
    }
  }

  private static boolean isEpoch(String text) {
    if (text.isEmpty() || text.length() > MAX_EPOCH_CHARS) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  private static String problem(String entry, int n, int of, String why) {
    String shown = entry.length() > 80 ? entry.substring(0, 80) + "..." : entry;
    return "the last event id is malformed: entry "
        + n
        + " of "
        + of
        + " (\""
        + shown
        + "\"): "
        + why;
  }

  /** The inbox's position, as {@code user}'s. */
  Optional<Position> inbox(String user) {
    return entries.stream()
        .filter(e -> e.key().equals(StreamId.INBOX_KEY))
        .findFirst()
        .map(e -> e.at(user));
  }

  /** The channels' positions, by channel name, in order. */
  Map<String, Position> channels() {
    Map<String, Position> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (!e.key().equals(StreamId.INBOX_KEY)) {
        out.put(e.key(), new Position(new StreamId.Channel(e.key()), e.offset(), e.epoch()));
      }
    }
    return out;
  }

  /**
   * The id naming {@code positions}, in their order; the empty string for none.
   *
   * @throws IllegalArgumentException when an epoch is not 1-64 of {@code [0-9a-z]} (a delivery
   *     store whose epochs this format cannot carry)
   */
  static String format(Iterable<Position> positions) {
    StringBuilder out = new StringBuilder();
    for (Position p : positions) {
      if (!isEpoch(p.epoch())) {
        throw new IllegalArgumentException(
            "epoch \"" + p.epoch() + "\" of " + p.stream() + " cannot go into an SSE event id");
      }
      if (!out.isEmpty()) {
        out.append(',');
      }
      out.append(p.stream().key()).append(':').append(p.offset()).append(':').append(p.epoch());
    }
    return out.toString();
  }
}
