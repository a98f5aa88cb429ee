package dev.switchboard.bench;

/**
 * One configuration of the cluster benchmark: how many Switchboard nodes, and whether they run on
 * Redis ({@code "3"}, {@code "1"}) or on the in-memory engine ({@code "1-memory"}, one node only).
 *
 * @param nodes the node JVMs, at least 1
 * @param redis whether the nodes share one Redis
 */
record ClusterLayout(int nodes, boolean redis) {

  private static final String MEMORY = "-memory";

  ClusterLayout {
    if (nodes < 1) {
      throw new IllegalArgumentException("a configuration needs 1 node or more, got " + nodes);
    }
    if (!redis && nodes != 1) {
      throw new IllegalArgumentException(
          "nodes without Redis share nothing: only 1-memory runs in memory, got " + nodes);
    }
  }

  /** Parses an item of {@code --nodes}: {@code N} (on Redis) or {@code 1-memory}. */
  static ClusterLayout fromKey(String key) {
    String k = key.strip();
    boolean memory = k.endsWith(MEMORY);
    String count = memory ? k.substring(0, k.length() - MEMORY.length()) : k;
    try {
      return new ClusterLayout(Integer.parseInt(count), !memory);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--nodes takes N (nodes on one Redis) or 1-memory, got '" + key + "'", e);
    }
  }

  /** The {@code --nodes} item. */
  String key() {
    return redis ? Integer.toString(nodes) : nodes + MEMORY;
  }

  /** The report's row label. */
  String label() {
    if (!redis) {
      return "1 node, in memory";
    }
    return nodes == 1 ? "1 node, Redis" : nodes + " nodes, one Redis";
  }
}
