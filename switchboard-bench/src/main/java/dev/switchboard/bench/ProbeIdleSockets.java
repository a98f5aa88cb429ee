package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bench.ProbeReport.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Attack 3: as many plain TCP connections as this process's file limit allows (less {@link
 * #SPARE_FDS}), opened as fast as the kernel takes them (non-blocking connects, so that the
 * server's accept rate, not the client's, sets the pace), that send nothing. One selector thread
 * sees each connect complete and each close by the server: those closed early made room at the
 * server's socket cap (the newcomer refused, or an older idle socket evicted for it), the rest
 * should close at the 10 s header timeout.
 */
final class ProbeIdleSockets {

  /** Descriptors left to the client for everything else. */
  static final int SPARE_FDS = 500;

  private static final Duration BOUND = Duration.ofSeconds(45);

  /**
   * A socket the server closed sooner than this after it connected made room at the cap, not timed
   * out (10 s).
   */
  private static final long EARLY_NANOS = 5_000_000_000L;

  /** What one socket held open may cost the server at most, for the "memory bounded" verdict. */
  static final long KB_PER_SOCKET = 16;

  /**
   * One socket: when its connect completed and when the server closed it (nanoTime; -1: not yet).
   */
  private static final class Idle {
    final SocketChannel channel;
    volatile long opened = -1;
    volatile long closed = -1;
    volatile String failed = "";
    volatile int bytes;

    Idle(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private final List<Idle> all = new ArrayList<>();
  private final ConcurrentLinkedQueue<Idle> fresh = new ConcurrentLinkedQueue<>();
  private volatile boolean done;

  Outcome run(ProbeServer server, String freshFrom) throws IOException, InterruptedException {
    int target = (int) (fileLimit() - openFiles() - SPARE_FDS);
    JsonNode before = server.stats().path("sockets");
    Map<String, Integer> failures = new TreeMap<>();
    try (Selector selector = Selector.open()) {
      Thread watcher = Thread.ofPlatform().daemon().name("probe-idle").start(() -> watch(selector));
      InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
      long start = System.nanoTime();
      for (int i = 0; i < target; i++) {
        SocketChannel channel = SocketChannel.open();
        try {
          channel.configureBlocking(false);
          // No bind(): binding each socket to port 0 first makes the kernel search the port range
          // for every one
          // (~0.5 ms each with 10,000 bound); connect() picks a port without that cost. So these
          // come from
          // 127.0.0.1, and only the /health checks from addresses of their own.
          Idle idle = new Idle(channel);
          if (channel.connect(to)) {
            idle.opened = System.nanoTime();
          }
          all.add(idle);
          fresh.add(idle);
          if (i % 64 == 0) {
            selector.wakeup();
          }
        } catch (IOException e) {
          channel.close();
          failures.merge(e.toString(), 1, Integer::sum);
          if (failures.values().stream().mapToInt(Integer::intValue).sum() > 50) {
            break;
          }
        }
      }
      long issued = System.nanoTime();
      selector.wakeup();
      long deadline = start + BOUND.toNanos();
      long peakOpen = 0;
      long peakServer = 0;
      String freshHealth = "not tried";
      long lastStats = 0;
      while (System.nanoTime() < deadline && all.stream().anyMatch(s -> s.closed < 0)) {
        long open = all.stream().filter(s -> s.opened >= 0 && s.closed < 0).count();
        peakOpen = Math.max(peakOpen, open);
        if (System.nanoTime() - lastStats > 500_000_000L) {
          peakServer = Math.max(peakServer, server.stats().path("sockets").path("open").asLong());
          lastStats = System.nanoTime();
        }
        if (freshHealth.equals("not tried") && System.nanoTime() - issued > 2_000_000_000L) {
          freshHealth = freshHealth(server, freshFrom) + " (" + open + " idle sockets open)";
        }
        Thread.sleep(100);
      }
      done = true;
      selector.wakeup();
      watcher.join(5_000);
      JsonNode after = server.stats().path("sockets");
      return outcome(
          target, issued - start, peakOpen, peakServer, freshHealth, failures, before, after);
    } finally {
      for (Idle s : all) {
        s.channel.close();
      }
    }
  }

  private void watch(Selector selector) {
    ByteBuffer sink = ByteBuffer.allocate(4096);
    try {
      while (!done) {
        selector.select(100);
        for (Idle s = fresh.poll(); s != null; s = fresh.poll()) {
          s.channel.register(
              selector, s.opened >= 0 ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, s);
        }
        for (SelectionKey key : selector.selectedKeys()) {
          Idle s = (Idle) key.attachment();
          if (key.isValid() && key.isConnectable()) {
            try {
              s.channel.finishConnect();
              s.opened = System.nanoTime();
              key.interestOps(SelectionKey.OP_READ);
            } catch (IOException e) {
              s.failed = e.toString();
              end(s, key);
            }
            continue;
          }
          int n;
          try {
            sink.clear();
            n = s.channel.read(sink);
          } catch (IOException e) {
            n = -1;
          }
          if (n > 0) {
            s.bytes += n;
          } else if (n < 0) {
            end(s, key);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      System.err.println("probe: idle-socket watcher failed: " + e);
    }
  }

  /**
   * The server closed {@code s} (or its connect failed): note when, and give the descriptor back at
   * once.
   */
  private static void end(Idle s, SelectionKey key) throws IOException {
    s.closed = System.nanoTime();
    key.cancel();
    s.channel.close();
  }

  /**
   * A {@code GET /health} on a new connection while the idle sockets are open: what a newcomer
   * gets.
   */
  private static String freshHealth(ProbeServer server, String from) {
    try (ProbeClient c = ProbeClient.open(server.port(), from)) {
      c.readTimeout(Duration.ofSeconds(3));
      return "HTTP " + c.get("/health", List.of()).status();
    } catch (IOException e) {
      return ProbeClient.ended(e);
    }
  }

  private Outcome outcome(
      int target,
      long issueNanos,
      long peakOpen,
      long peakServer,
      String freshHealth,
      Map<String, Integer> failures,
      JsonNode before,
      JsonNode after) {
    List<Idle> connected = all.stream().filter(s -> s.opened >= 0).toList();
    List<Idle> early =
        connected.stream().filter(s -> s.closed >= 0 && s.closed - s.opened < EARLY_NANOS).toList();
    List<Idle> held =
        connected.stream().filter(s -> s.closed < 0 || s.closed - s.opened >= EARLY_NANOS).toList();
    long[] heldFor =
        held.stream()
            .filter(s -> s.closed >= 0)
            .mapToLong(s -> s.closed - s.opened)
            .sorted()
            .toArray();
    long stillOpen = held.stream().filter(s -> s.closed < 0).count();
    long cap = after.path("max").asLong();
    // The j-th early close answers the j-th connect beyond the cap (whether the newcomer itself was
    // refused or an
    // older idle socket was evicted for it): the lag between the two is how fast the server made
    // room.
    long[] opens = connected.stream().mapToLong(s -> s.opened).sorted().toArray();
    long[] closes = early.stream().mapToLong(s -> s.closed).sorted().toArray();
    int first = (int) Math.max(0, cap - before.path("open").asLong());
    int n = Math.max(0, Math.min(closes.length, opens.length - first));
    long[] lag = new long[n];
    for (int j = 0; j < n; j++) {
      lag[j] = Math.max(0, closes[j] - opens[first + j]);
    }
    Arrays.sort(lag);
    long refused = after.path("refused").asLong() - before.path("refused").asLong();
    long evicted = after.path("evicted").asLong() - before.path("evicted").asLong();
    all.stream()
        .filter(s -> !s.failed.isEmpty())
        .forEach(s -> failures.merge(s.failed, 1, Integer::sum));
    List<String> notes = new ArrayList<>();
    notes.add(
        "the client's file limit ("
            + fileLimit()
            + ") allowed "
            + target
            + " sockets ("
            + SPARE_FDS
            + " descriptors left spare); "
            + all.size()
            + " connects issued in "
            + ProbeReport.millis(issueNanos)
            + ", "
            + connected.size()
            + " completed"
            + (failures.isEmpty() ? "" : "; failures: " + failures));
    notes.add(
        "server /stats sockets before: "
            + before
            + ", after: "
            + after
            + "; its open count peaked at "
            + peakServer
            + " (sampled every 0.5 s); the client's at "
            + peakOpen);
    notes.add(
        "closed by the server within "
            + EARLY_NANOS / 1_000_000_000L
            + " s of their connect: "
            + early.size()
            + " (/stats: "
            + refused
            + " refused, "
            + evicted
            + " evicted); each such close came p50 "
            + pct(lag, 0.5)
            + ", max "
            + pct(lag, 1)
            + " after the connect beyond the cap it made room for");
    notes.add(
        "kept until a timeout: "
            + held.size()
            + ", closed after min "
            + pct(heldFor, 0)
            + ", p50 "
            + pct(heldFor, 0.5)
            + ", max "
            + pct(heldFor, 1)
            + " from their connect; still open at the end: "
            + stillOpen
            + "; sockets on which the server sent bytes: "
            + all.stream().filter(s -> s.bytes > 0).count());
    notes.add("a new connection's GET /health 2 s after the connects were issued: " + freshHealth);
    notes.add(
        "memory bounded here: the RSS peak rose at most "
            + KB_PER_SOCKET
            + " KiB × the cap ("
            + cap
            + ")");
    boolean roomMadeFast =
        peakServer < cap || (lag.length > 0 && lag[lag.length / 2] < 1_000_000_000L);
    boolean quick =
        roomMadeFast
            && stillOpen == 0
            && heldFor.length > 0
            && heldFor[heldFor.length - 1] < 15_000_000_000L;
    String did =
        connected.size()
            + " idle sockets against a cap of "
            + cap
            + " (server's open peak "
            + peakServer
            + "): "
            + early.size()
            + " closed early ("
            + refused
            + " refused, "
            + evicted
            + " oldest idle evicted), "
            + held.size()
            + " kept until the header timeout; all closed: "
            + (stillOpen == 0 ? "yes" : "no, " + stillOpen + " open");
    return Outcome.of(
            did,
            "early close p50 "
                + pct(lag, 0.5)
                + " after the connect beyond the cap; the rest p50 "
                + pct(heldFor, 0.5)
                + ", max "
                + pct(heldFor, 1),
            quick,
            notes)
        .allowance(KB_PER_SOCKET * Math.max(cap, 1));
  }

  private static String pct(long[] sortedNanos, double p) {
    if (sortedNanos.length == 0) {
      return "-";
    }
    int i =
        (int) Math.min(sortedNanos.length - 1, Math.max(0, Math.ceil(p * sortedNanos.length) - 1));
    return ProbeReport.millis(sortedNanos[i]);
  }

  /**
   * This process's soft limit on open files, from {@code /proc/self/limits} (4096 where it cannot
   * be read).
   */
  static long fileLimit() {
    try (var lines = Files.lines(Path.of("/proc/self/limits"))) {
      return lines
          .filter(l -> l.startsWith("Max open files"))
          .map(l -> l.substring(26).trim().split("\\s+")[0])
          .map(Long::parseLong)
          .findFirst()
          .orElse(4096L);
    } catch (IOException | RuntimeException e) {
      return 4096;
    }
  }

  /** Descriptors this process has open now. */
  static long openFiles() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
