package dev.switchboard.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The side thread of every attack: {@code GET /health} every 100 ms on a keep-alive connection of
 * its own (from 127.0.0.2, opened before the attack, reopened when the server closes it), the
 * latency of each answer, what went wrong otherwise, and the server's peak RSS sampled at the same
 * pace. A request that takes longer than 5 s counts as a failure. Start with {@link #start}, end
 * with {@link #stop}.
 */
final class ProbeHealth {

  private static final long PERIOD_NANOS = 100_000_000L;
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
  private static final String FROM = "127.0.0.2";

  /**
   * What the poller saw: latencies of 200 answers (ms), failures by kind, peak RSS in kB (-1:
   * unknown).
   */
  record Stats(List<Double> latenciesMillis, Map<String, Integer> failures, long peakRssKb) {
    double p50() {
      return percentile(0.5);
    }

    double max() {
      return latenciesMillis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    int failureCount() {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    private double percentile(double p) {
      if (latenciesMillis.isEmpty()) {
        return Double.NaN;
      }
      List<Double> sorted = latenciesMillis.stream().sorted().toList();
      return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }
  }

  private final ProbeServer server;
  private final Thread thread;

  /** Poller thread only, until {@link #stop} joined it. */
  private final List<Double> latencies = new ArrayList<>();

  private final Map<String, Integer> failures = new TreeMap<>();
  private long peakRss = -1;
  private ProbeClient client;
  private volatile boolean stopping;

  private ProbeHealth(ProbeServer server) {
    this.server = server;
    this.thread = Thread.ofPlatform().daemon().name("probe-health").unstarted(this::poll);
  }

  /** Opens the connection (so that it predates the attack) and starts polling. */
  static ProbeHealth start(ProbeServer server) {
    ProbeHealth health = new ProbeHealth(server);
    health.once();
    health.thread.start();
    return health;
  }

  /** Stops polling and returns what was seen. */
  Stats stop() throws InterruptedException {
    stopping = true;
    thread.join(ANSWER_TIMEOUT.toMillis() + 2_000);
    if (client != null) {
      client.close();
    }
    return new Stats(List.copyOf(latencies), Map.copyOf(failures), peakRss);
  }

  private void poll() {
    long next = System.nanoTime();
    while (!stopping) {
      next += PERIOD_NANOS;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime();
      }
      once();
    }
  }

  private void once() {
    server.rssKb().ifPresent(kb -> peakRss = Math.max(peakRss, kb));
    long start = System.nanoTime();
    try {
      if (client == null) {
        client = ProbeClient.open(server.port(), FROM);
        client.readTimeout(ANSWER_TIMEOUT);
      }
      ProbeClient.Answer answer = client.get("/health", List.of());
      if (answer.status() == 200) {
        latencies.add((System.nanoTime() - start) / 1e6);
      } else {
        failures.merge("HTTP " + answer.status(), 1, Integer::sum);
      }
      if (answer.header("connection").map(c -> c.equalsIgnoreCase("close")).orElse(false)) {
        reconnect();
      }
    } catch (ConnectException e) {
      failures.merge("connection refused", 1, Integer::sum);
      reconnect();
    } catch (SocketTimeoutException e) {
      failures.merge("no answer within " + ANSWER_TIMEOUT.toSeconds() + " s", 1, Integer::sum);
      reconnect();
    } catch (IOException e) {
      failures.merge(ProbeClient.ended(e), 1, Integer::sum);
      reconnect();
    }
  }

  private void reconnect() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
