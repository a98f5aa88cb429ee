package dev.switchboard.gateway;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The in-memory streams of one kind, at most {@code maxStreams} of them: using a stream makes it
 * the most recent, and a new stream beyond the bound forgets a least recently used one whole (its
 * next use starts a new epoch): the least recently used of the {@link #SCAN} eldest that is {@code
 * spare} (an inbox that owes nothing), else the eldest. Not thread-safe: its store guards it.
 */
final class StreamTable<K> {

  /** How many of the eldest streams eviction looks through for a spare one. */
  static final int SCAN = 64;

  private final int maxStreams;
  private final Function<K, StreamId> ids;
  private final Predicate<InMemoryStream> spare;
  private final LinkedHashMap<K, InMemoryStream> streams = new LinkedHashMap<>(16, 0.75f, true);
  private long evicted;

  StreamTable(int maxStreams, Function<K, StreamId> ids, Predicate<InMemoryStream> spare) {
    this.maxStreams = maxStreams;
    this.ids = ids;
    this.spare = spare;
  }

  /** The stream of {@code key} (a use), or null when it has none. */
  InMemoryStream find(K key) {
    return streams.get(key);
  }

  /** The stream of {@code key}, made now if it has none; {@code forgotten} gets evicted ones. */
  InMemoryStream open(K key, Consumer<InMemoryStream> forgotten) {
    InMemoryStream stream = streams.get(key);
    if (stream != null) {
      return stream;
    }
    if (streams.size() >= maxStreams) {
      evictOne(forgotten);
    }
    stream = new InMemoryStream(ids.apply(key));
    streams.put(key, stream);
    return stream;
  }

  private void evictOne(Consumer<InMemoryStream> forgotten) {
    Iterator<Map.Entry<K, InMemoryStream>> eldest = streams.entrySet().iterator();
    K victim = null;
    for (int i = 0; i < SCAN && eldest.hasNext(); i++) {
      Map.Entry<K, InMemoryStream> e = eldest.next();
      if (victim == null) {
        victim = e.getKey();
      }
      if (spare.test(e.getValue())) {
        victim = e.getKey();
        break;
      }
    }
    InMemoryStream gone = streams.remove(victim);
    forgotten.accept(gone);
    evicted++;
  }

  Iterable<InMemoryStream> all() {
    return streams.values();
  }

  int size() {
    return streams.size();
  }

  long evicted() {
    return evicted;
  }
}
