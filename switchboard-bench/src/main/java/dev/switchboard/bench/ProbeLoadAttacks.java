package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.ProbeReport.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The shutdown under load (9) and the memory of many idle devices (10). */
final class ProbeLoadAttacks {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Drain timeout (10 s) plus what the server allows itself after it (4 s). */
  private static final long SHUTDOWN_EXPECTED_NANOS = 14_000_000_000L;

  /** The earlier measurement of an idle device, for comparison. */
  private static final double EARLIER_HEAP_KB = 17.9;

  private static final double EARLIER_RSS_KB = 30;

  /**
   * 9: a device with notifications queued that never reads, and two clients in a loop on keep-alive
   * connections ({@code GET /health}, and {@code POST /api/v1/notifications/send} at ~50/s); then
   * SIGTERM to the server, timed until its process exits.
   */
  Outcome shutdown(ProbeServer server, String deviceFrom, String healthFrom, String postFrom)
      throws IOException, InterruptedException {
    ProbeClient device = ProbeClient.open(server.port(), deviceFrom, 4096);
    try {
      device.readTimeout(Duration.ofSeconds(10));
      int up =
          device
              .upgrade(
                  "/ws?token=" + new ProbeTokens(server.secret()).forUser("drain-1"), List.of())
              .status();
      if (up != 101) {
        return Outcome.of("upgrade answered " + up, "-", false, List.of()).healthNotJudged();
      }
      // Normal notifications of 60 KB, more than the socket buffers and the 4 MiB outbound queue
      // hold: the queue is
      // full (the oldest are dropped to make room, so the device is never cut off as a slow
      // consumer).
      long droppedBefore = server.stats().path("messages").path("dropped").asLong();
      int queued = 0;
      for (int i = 0; i < 150; i++) {
        ProbeClient.Answer a =
            server.api(
                "POST",
                "/api/v1/notifications/send",
                ProbeDeviceAttacks.notification("target_user_id", "drain-1", "Normal", 60_000));
        if (a.status() == 200 && JSON.readTree(a.body()).path("delivered_to").asInt() == 1) {
          queued++;
        } else if (a.status() == 429) {
          Thread.sleep(200);
        }
      }
      long dropped = server.stats().path("messages").path("dropped").asLong() - droppedBefore;
      byte[] post =
          ("{\"target_user_id\":\"nobody\",\"event_type\":\"probe.loop\",\"payload\":{}}")
              .getBytes(StandardCharsets.UTF_8);
      Loop health = new Loop(server, healthFrom, "GET", "/health", new byte[0], 5);
      Loop posts = new Loop(server, postFrom, "POST", "/api/v1/notifications/send", post, 20);
      Thread h = Thread.ofPlatform().daemon().name("probe-loop-health").start(health);
      Thread p = Thread.ofPlatform().daemon().name("probe-loop-post").start(posts);
      Thread.sleep(1000);
      long sigterm = System.nanoTime();
      health.since = sigterm;
      posts.since = sigterm;
      Optional<Duration> took = server.terminate(Duration.ofSeconds(30));
      Thread.sleep(1000); // what a client meets once the process is gone
      health.stop.set(true);
      posts.stop.set(true);
      h.join(10_000);
      p.join(10_000);
      if (took.isEmpty()) {
        server.close();
      }
      ProbeClient.Ending seen = device.awaitClose(Duration.ofSeconds(3));
      List<String> notes = new ArrayList<>();
      notes.add(
          "device drain-1 (4 KiB receive buffer, never reads) was sent "
              + queued
              + " notifications of 60 KB"
              + " (priority Normal); "
              + dropped
              + " were dropped to make room before SIGTERM, so its queue was full;"
              + " reading after the exit it found "
              + seen.framesBefore()
              + " frames, then "
              + seen.describe());
      notes.add("GET /health loop: " + health.summary());
      notes.add("POST /api/v1/notifications/send loop: " + posts.summary());
      notes.add(
          "server exit code: "
              + server.exitCode().map(String::valueOf).orElse("still running (killed)"));
      server
          .outputMatching(
              Pattern.compile("shutting down|still had|drain-1|did not stop|handlers still"))
          .forEach(l -> notes.add("server log: " + l));
      String did =
          took.map(d -> "exited " + ProbeReport.millis(d.toNanos()) + " after SIGTERM")
                  .orElse("did NOT exit within 30 s (killed)")
              + "; /health "
              + health.brief()
              + "; POST "
              + posts.brief();
      boolean quick = took.isPresent() && took.get().toNanos() <= SHUTDOWN_EXPECTED_NANOS;
      return Outcome.of(
              did, took.map(d -> ProbeReport.millis(d.toNanos())).orElse("> 30 s"), quick, notes)
          .healthNotJudged();
    } finally {
      device.close();
    }
  }

  /**
   * Requests in a loop on a keep-alive connection, reopened when it ends; counts what each attempt
   * met.
   */
  private static final class Loop implements Runnable {
    private final ProbeServer server;
    private final String from;
    private final String method;
    private final String path;
    private final byte[] body;
    private final long pauseMillis;
    final AtomicBoolean stop = new AtomicBoolean();

    /** When SIGTERM was sent (nanoTime), 0 before. */
    volatile long since;

    /**
     * Outcome name to its count, and to when it was first met after SIGTERM. Loop thread only until
     * joined.
     */
    private final Map<String, Integer> counts = new TreeMap<>();

    private final Map<String, Long> firstAfter = new TreeMap<>();
    private final Map<String, Long> lastAfter = new TreeMap<>();

    Loop(
        ProbeServer server,
        String from,
        String method,
        String path,
        byte[] body,
        long pauseMillis) {
      this.server = server;
      this.from = from;
      this.method = method;
      this.path = path;
      this.body = body;
      this.pauseMillis = pauseMillis;
    }

    @Override
    public void run() {
      ProbeClient c = null;
      List<String> headers =
          List.of("X-API-Key: " + server.apiKey(), "Content-Type: application/json");
      while (!stop.get()) {
        String seen;
        try {
          if (c == null) {
            c = ProbeClient.open(server.port(), from);
            c.readTimeout(Duration.ofSeconds(5));
          }
          ProbeClient.Answer a = c.exchange(method, path, headers, body);
          seen = "HTTP " + a.status();
          if (a.header("connection").map(v -> v.equalsIgnoreCase("close")).orElse(false)) {
            c.close();
            c = null;
          }
        } catch (ConnectException e) {
          seen = "connection refused";
          c = null;
        } catch (IOException e) {
          seen = ProbeClient.ended(e);
          if (c != null) {
            c.close();
          }
          c = null;
        }
        counts.merge(seen, 1, Integer::sum);
        if (since > 0) {
          firstAfter.putIfAbsent(seen, System.nanoTime() - since);
          lastAfter.put(seen, System.nanoTime() - since);
        }
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (c != null) {
        c.close();
      }
    }

    String brief() {
      return counts.entrySet().stream()
          .map(e -> e.getValue() + "× " + e.getKey())
          .collect(Collectors.joining(", "));
    }

    String summary() {
      return brief()
          + "; first seen after SIGTERM: "
          + firstAfter.entrySet().stream()
              .map(e -> e.getKey() + " +" + ProbeReport.millis(e.getValue()))
              .collect(Collectors.joining(", "))
          + "; last seen: "
          + lastAfter.entrySet().stream()
              .map(e -> e.getKey() + " +" + ProbeReport.millis(e.getValue()))
              .collect(Collectors.joining(", "));
    }
  }

  /**
   * 10: {@code count} authenticated devices (distinct users) that connect and stay idle; the
   * server's RSS and live heap (after a full collection) before and after, per device.
   */
  Outcome idleDevices(ProbeServer server, int count, int threads)
      throws IOException, InterruptedException {
    ProbeTokens tokens = new ProbeTokens(server.secret());
    OptionalLong rssBefore = server.rssKb();
    OptionalLong heapBefore = server.liveHeapBytes();
    List<Socket> devices = Collections.synchronizedList(new ArrayList<>(count));
    Map<String, Integer> failures = Collections.synchronizedMap(new TreeMap<>());
    long start = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      String from = "127.0.0." + (100 + t);
      workers.add(
          Thread.ofPlatform()
              .daemon()
              .name("probe-devices-" + t)
              .start(
                  () -> {
                    for (int i = first;
                        i < count && System.nanoTime() - start < 60_000_000_000L;
                        i += threads) {
                      try {
                        ProbeClient c = ProbeClient.open(server.port(), from);
                        c.readTimeout(Duration.ofSeconds(15));
                        int status =
                            c.upgrade("/ws?token=" + tokens.forUser("idle-" + i), List.of())
                                .status();
                        if (status == 101) {
                          devices.add(c.socket());
                        } else {
                          failures.merge("HTTP " + status, 1, Integer::sum);
                          c.close();
                        }
                      } catch (IOException e) {
                        failures.merge(ProbeClient.ended(e), 1, Integer::sum);
                      }
                    }
                  }));
    }
    for (Thread w : workers) {
      w.join(70_000);
    }
    long connected = System.nanoTime() - start;
    Thread.sleep(5_000);
    OptionalLong rssAfter = server.rssKb();
    OptionalLong heapAfter = server.liveHeapBytes();
    int n = devices.size();
    String connections = server.stats().path("connections").asText("?");
    synchronized (devices) {
      for (Socket s : devices) {
        s.close();
      }
    }
    double rssPer =
        rssBefore.isPresent() && rssAfter.isPresent() && n > 0
            ? (rssAfter.getAsLong() - rssBefore.getAsLong()) / (double) n
            : Double.NaN;
    double heapPer =
        heapBefore.isPresent() && heapAfter.isPresent() && n > 0
            ? (heapAfter.getAsLong() - heapBefore.getAsLong()) / (double) n / 1024
            : Double.NaN;
    List<String> notes = new ArrayList<>();
    notes.add(
        n
            + " of "
            + count
            + " devices upgraded (101) in "
            + ProbeReport.millis(connected)
            + " from "
            + threads
            + " threads"
            + (failures.isEmpty() ? "" : "; failures: " + failures)
            + "; /stats connections: "
            + connections);
    notes.add(
        String.format(
            Locale.ROOT,
            "RSS %s → %s KiB 5 s after the last connect: %.1f KiB per device"
                + " (issue's earlier figure: ~%.0f KB)",
            rssBefore.orElse(-1),
            rssAfter.orElse(-1),
            rssPer,
            EARLIER_RSS_KB));
    notes.add(
        String.format(
            Locale.ROOT,
            "live heap (GC.class_histogram total, after GC.run) %s → %s"
                + " bytes: %.1f KiB per device (issue's earlier figure: ~%.1f KB)",
            heapBefore.orElse(-1),
            heapAfter.orElse(-1),
            heapPer,
            EARLIER_HEAP_KB));
    String did =
        String.format(
            Locale.ROOT,
            "%d of %d accepted; RSS %.1f KiB/device, live heap %.1f" + " KiB/device",
            n,
            count,
            rssPer,
            heapPer);
    long allowanceKb = (long) (2 * EARLIER_RSS_KB * count);
    notes.add(
        "memory bounded here means the RSS peak rose at most twice the earlier per-device figure × devices: "
            + allowanceKb / 1024
            + " MB");
    return Outcome.of(did, ProbeReport.millis(connected) + " to connect all", n == count, notes)
        .allowance(allowanceKb)
        .quickNotJudged();
  }
}
