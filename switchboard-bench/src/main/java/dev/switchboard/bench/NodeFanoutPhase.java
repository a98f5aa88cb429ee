package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fan-out phase with independent clients: as {@link FanoutPhase}, one publisher sends messages
 * to the channel every device subscribed to, keeping K in flight, each until the server answered
 * and every node process said that all its devices have it. An untimed warm-up, a drain, then the
 * measured window: the messages sent in it, until the last is complete. The server's CPU time is
 * sampled at the two ends; the counts and latencies come from the node processes at the end.
 *
 * <p>One run per instance; the publisher is the calling thread.
 */
final class NodeFanoutPhase {

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The width of the node clients' latency buckets: each is 0.5% wider than the one before. */
  static final double BUCKET_BASE = 1.005;

  private final PushTarget target;
  private final NodeFleet fleet;
  private final CpuMeter cpu;
  private final int inflight;
  private final int payloadBytes;
  private final PushPayload.Shape payload;
  private final Duration messageTimeout;
  private final PrintStream progress;
  private final Semaphore inflightPermits;
  private final ConcurrentHashMap<Long, Message> inFlight = new ConcurrentHashMap<>();
  private final LongAdder incomplete = new LongAdder();
  private final LongAdder publishErrors = new LongAdder();
  private Window window = Window.IGNORED;

  /**
   * Told, on the publisher's thread, when the measured window opens (after the warm-up's drain,
   * just before the CPU meter's first sample) and closes (just after its last), so that a caller
   * can sample counters of its own over the same stretch, such as a Redis server's.
   */
  interface Window {
    Window IGNORED =
        new Window() {
          @Override
          public void opened() {}

          @Override
          public void closed() {}
        };

    void opened();

    void closed();
  }

  NodeFanoutPhase(
      PushTarget target,
      NodeFleet fleet,
      CpuMeter cpu,
      int inflight,
      int payloadBytes,
      PushPayload.Shape payload,
      Duration messageTimeout,
      PrintStream progress) {
    this.target = target;
    this.fleet = fleet;
    this.cpu = cpu;
    this.inflight = inflight;
    this.payloadBytes = payloadBytes;
    this.payload = payload;
    this.messageTimeout = messageTimeout;
    this.progress = progress;
    this.inflightPermits = new Semaphore(inflight);
  }

  /** Sets who is told when the measured window opens and closes; returns this phase. */
  NodeFanoutPhase observedBy(Window window) {
    this.window = Objects.requireNonNull(window, "window");
    return this;
  }

  /** One message: in flight until the server answered and every process has it everywhere. */
  private record Message(long seq, long sentNanos, boolean measured, AtomicInteger pending) {}

  /**
   * Warm-up, drain, measured window, drain; then the node processes' counts. {@code label} names
   * the server.
   */
  NodeFanoutResult.Measured run(PushSystem system, String label, Duration warmup, Duration measure)
      throws InterruptedException {
    fleet.onDone(
        seq -> {
          Message message = inFlight.get(seq);
          if (message != null && message.pending().decrementAndGet() == 0) {
            retire(message);
          }
        });
    long seq = 0;
    progress.printf(
        "  node fan-out, %d in flight: %s s warm-up%n",
        inflight, RpcBenchSettings.plain(warmup.toNanos() / 1e9));
    seq = publishFor(seq, warmup, false);
    drain();
    long from = seq;
    window.opened();
    CpuMeter.Snapshot cpu0 = cpu.snapshot();
    progress.printf(
        "  node fan-out: %s s measured%n", RpcBenchSettings.plain(measure.toNanos() / 1e9));
    seq = publishFor(seq, measure, true);
    drain();
    CpuUsage used = CpuMeter.between(cpu0, cpu.snapshot());
    window.closed();
    long to = seq - 1;
    List<JsonNode> reports = fleet.report(from, to, Duration.ofSeconds(60));

    long messages = to - from + 1;
    long received = 0;
    long strays = 0;
    long closed = 0;
    long malformed = 0;
    double clientCpu = 0;
    long wireBytes = 0;
    long deliveries = 0;
    boolean wireKnown = true;
    List<String> problems = new ArrayList<>();
    String client = "?";
    for (JsonNode r : reports) {
      received += r.path("received").asLong();
      strays += r.path("strays").asLong();
      closed += r.path("closedAfterReady").asLong();
      malformed += r.path("malformed").asLong();
      clientCpu += r.path("clientCpuSeconds").asDouble();
      wireKnown &= r.hasNonNull("wireBytes");
      wireBytes += r.path("wireBytes").asLong();
      deliveries += r.path("deliveries").asLong();
      r.path("problems").forEach(p -> problems.add(p.asText()));
      client = r.path("client").asText("?") + " (node " + r.path("node").asText("?") + ")";
      if (r.hasNonNull("extensions")) {
        String answer = r.path("extensions").asText();
        client +=
            answer.isEmpty()
                ? ", deflate offered, declined"
                : ", deflate offered, server chose " + answer;
      }
    }
    return new NodeFanoutResult.Measured(
        system,
        label,
        client,
        fleet.devices(),
        fleet.processes(),
        inflight,
        messages,
        messages * fleet.devices(),
        received,
        incomplete.sum(),
        strays,
        closed,
        malformed,
        publishErrors.sum(),
        used.seconds(),
        used.serverSeconds().orElse(Double.NaN),
        clientCpu,
        wireKnown && deliveries > 0 ? (double) wireBytes / deliveries : Double.NaN,
        latency(reports),
        problems.subList(0, Math.min(5, problems.size())));
  }

  /** Publishes for {@code length}, K in flight; returns the next sequence number. */
  private long publishFor(long seq, Duration length, boolean measured) throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    while (System.nanoTime() < end) {
      giveUpOverdue();
      if (inflightPermits.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS)) {
        publish(seq++, measured);
      }
    }
    return seq;
  }

  private void publish(long seq, boolean measured) {
    long sent = System.nanoTime();
    Message message = new Message(seq, sent, measured, new AtomicInteger(fleet.processes() + 1));
    inFlight.put(seq, message);
    target
        .publish(FanoutBenchmark.CHANNEL, PushPayload.of(seq, sent, payloadBytes, payload))
        .onComplete(
            deliveredTo -> {
              if (message.pending().decrementAndGet() == 0) {
                retire(message);
              }
            },
            error -> {
              publishErrors.increment();
              giveUp(message);
            });
  }

  private void retire(Message message) {
    if (inFlight.remove(message.seq(), message)) {
      inflightPermits.release();
    }
  }

  private void giveUp(Message message) {
    if (inFlight.remove(message.seq(), message)) {
      if (message.measured()) {
        incomplete.increment();
      }
      inflightPermits.release();
    }
  }

  private void giveUpOverdue() {
    long now = System.nanoTime();
    for (Message message : inFlight.values()) {
      if (now - message.sentNanos() > messageTimeout.toNanos()) {
        giveUp(message);
      }
    }
  }

  private void drain() throws InterruptedException {
    while (!inFlight.isEmpty()) {
      giveUpOverdue();
      Thread.sleep(5);
    }
  }

  /**
   * The node processes' latency histograms merged: percentiles at the upper edge of their bucket
   * (at most 0.5% above the true value), the maximum exact (the largest per-message maximum).
   */
  static LatencyStats latency(List<JsonNode> reports) {
    TreeMap<Integer, Long> buckets = new TreeMap<>();
    double maxUs = 0;
    for (JsonNode r : reports) {
      for (Map.Entry<String, JsonNode> e : r.path("histogram").properties()) {
        buckets.merge(Integer.parseInt(e.getKey()), e.getValue().asLong(), Long::sum);
      }
      for (JsonNode m : r.path("maxUs")) {
        maxUs = Math.max(maxUs, m.asDouble());
      }
    }
    long count = buckets.values().stream().mapToLong(Long::longValue).sum();
    if (count == 0) {
      return LatencyStats.EMPTY;
    }
    double sumUs = 0;
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      sumUs += upperUs(e.getKey()) * e.getValue();
    }
    double max = maxUs / 1e3;
    return new LatencyStats(
        count,
        Math.min(max, percentileUs(buckets, count, 0.5) / 1e3),
        Math.min(max, percentileUs(buckets, count, 0.99) / 1e3),
        Math.min(max, percentileUs(buckets, count, 0.999) / 1e3),
        max,
        sumUs / count / 1e3);
  }

  /** Nearest rank: the bucket holding the {@code ceil(p * count)}-th value. */
  private static double percentileUs(TreeMap<Integer, Long> buckets, long count, double p) {
    long rank = Math.max(1, (long) Math.ceil(p * count));
    long seen = 0;
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        return upperUs(e.getKey());
      }
    }
    return upperUs(buckets.lastKey());
  }

  /** Bucket b holds latencies with {@code floor(ln(1 + us) / ln(1.005)) == b}. */
  private static double upperUs(int bucket) {
    return Math.pow(BUCKET_BASE, bucket + 1) - 1;
  }
}
