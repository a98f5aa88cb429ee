package dev.switchboard.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ids of the last notifications seen, to drop those delivered again. Thread-safe; bounded. */
final class SeenIds {
  private final Map<String, Boolean> ids;

  SeenIds(int capacity) {
    this.ids =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True the first time {@code id} is seen (among the last {@code capacity}), false after. */
  synchronized boolean firstTime(String id) {
    return ids.put(id, Boolean.TRUE) == null;
  }

  /** Forgets {@code id}: it is welcome again (its handling failed). */
  synchronized void forget(String id) {
    ids.remove(id);
  }
}
