package dev.switchboard.bench;

/**
 * The server's memory at one moment, after a full collection.
 *
 * @param histogram live objects per class; its total is the live heap
 * @param directBytes direct buffers in use ({@code jvm_buffer_memory_used_bytes{id="direct"}}), or
 *     -1 when {@code /metrics} does not say
 * @param rssBytes resident set size ({@code VmRSS}), or -1 when {@code /proc} does not say
 */
record MemorySnapshot(ClassHistogram histogram, long directBytes, long rssBytes) {

  long heapBytes() {
    return histogram.totalBytes();
  }
}
