package dev.switchboard.gateway;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The in-memory streams of one kind, at most {@code maxStreams} of them: using a stream makes it
 * the most recent, and a new stream beyond the bound forgets the least recently used one whole (its
 * next use starts a new epoch). Not thread-safe: its store guards it.
 */
final class StreamTable<K> {

  private final int maxStreams;
  private final Function<K, StreamId> ids;
  private final LinkedHashMap<K, InMemoryStream> streams = new LinkedHashMap<>(16, 0.75f, true);
  private long evicted;

  StreamTable(int maxStreams, Function<K, StreamId> ids) {
    this.maxStreams = maxStreams;
    this.ids = ids;
  }

  /** The stream of {@code key}, made now if it has none; {@code forgotten} gets evicted ones. */
  InMemoryStream open(K key, Consumer<InMemoryStream> forgotten) {
    InMemoryStream stream = streams.get(key);
    if (stream != null) {
      return stream;
    }
    if (streams.size() >= maxStreams) {
      Iterator<Map.Entry<K, InMemoryStream>> eldest = streams.entrySet().iterator();
      forgotten.accept(eldest.next().getValue());
      eldest.remove();
      evicted++;
    }
    stream = new InMemoryStream(ids.apply(key));
    streams.put(key, stream);
    return stream;
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
