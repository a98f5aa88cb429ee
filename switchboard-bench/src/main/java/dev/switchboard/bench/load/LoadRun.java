package dev.switchboard.bench.load;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One run of a profile: every 100 ms the devices and the send rate follow the profile; every second
 * a sample of what happened; at the end the sends stop, what is still on its way is waited for, the
 * devices close and the thresholds are judged.
 */
final class LoadRun {

  private static final long STEP_MILLIS = 100;
  private static final long DRAIN_MILLIS = 10_000;

  /**
   * Runs this long or longer read the server's memory (a full collection each time) at a quarter,
   * half and three quarters of the run and at its end, devices still connected: a soak shows
   * whether memory grows.
   */
  static final Duration MEMORY_RUNS_FROM = Duration.ofMinutes(5);

  private final LoadProfile profile;
  private final DeviceCrowd crowd;
  private final HttpSenders senders;
  private final Recorder messageLatency;
  private final Recorder httpLatency;
  private final LongAdder received;
  private final Optional<ProcessHandle> server;
  private final Optional<ServerMemory> memory;
  private final PrintStream progress;

  LoadRun(
      LoadProfile profile,
      DeviceCrowd crowd,
      HttpSenders senders,
      Recorder messageLatency,
      Recorder httpLatency,
      LongAdder received,
      Optional<ProcessHandle> server,
      PrintStream progress) {
    this.profile = profile;
    this.crowd = crowd;
    this.senders = senders;
    this.messageLatency = messageLatency;
    this.httpLatency = httpLatency;
    this.received = received;
    this.server = server;
    this.memory =
        profile.duration().compareTo(MEMORY_RUNS_FROM) >= 0
            ? server.flatMap(ServerMemory::of)
            : Optional.empty();
    this.progress = progress;
  }

  /** What the run measured, before thresholds and notes. */
  record Measured(
      Instant started,
      Duration duration,
      List<SecondSample> timeline,
      Histogram messages,
      Histogram http,
      boolean drained,
      double serverCpuSeconds,
      List<String> memory) {}

  Measured run() throws InterruptedException {
    Instant started = Instant.now();
    Optional<Duration> cpuBefore = server.flatMap(p -> p.info().totalCpuDuration());
    Histogram messages = new Histogram(3);
    Histogram http = new Histogram(3);
    Histogram intervalMessages = null;
    Histogram intervalHttp = null;
    List<SecondSample> timeline = new ArrayList<>();
    long t0 = System.nanoTime();
    long length = profile.duration().toNanos();
    long nextSecond = t0 + 1_000_000_000L;
    List<String> readings = new CopyOnWriteArrayList<>();
    long sentBefore = 0;
    long receivedBefore = 0;
    int quarter = 1;
    senders.start();
    while (true) {
      long now = System.nanoTime();
      Duration elapsed = Duration.ofNanos(now - t0);
      LoadProfile.Point point = profile.at(elapsed);
      crowd.adjust(point.devices());
      senders.rate(now - t0 < length ? point.sendsPerSecond() : 0);
      if (memory.isPresent() && quarter < 4 && now - t0 >= length / 4 * quarter) {
        String label = label(quarter++, elapsed);
        // Off this thread: a full collection of a big heap takes a while.
        Thread.ofVirtual().start(() -> readings.add(label + memory.get().read().describe()));
      }
      if (now >= nextSecond) {
        intervalMessages = messageLatency.getIntervalHistogram(intervalMessages);
        intervalHttp = httpLatency.getIntervalHistogram(intervalHttp);
        messages.add(intervalMessages);
        http.add(intervalHttp);
        long sentNow = senders.sent();
        long receivedNow = received.sum();
        SecondSample s =
            new SecondSample(
                timeline.size(),
                crowd.size(),
                sentNow - sentBefore,
                receivedNow - receivedBefore,
                percentiles(intervalMessages),
                percentiles(intervalHttp));
        timeline.add(s);
        sentBefore = sentNow;
        receivedBefore = receivedNow;
        if (timeline.size() % 10 == 0 || timeline.size() == 1) {
          progress.printf(
              "load: %3d s  devices %,6d  sends %,6d  received %,9d  msg p99 %6.1f ms  http p99"
                  + " %6.1f ms%n",
              s.second() + 1,
              s.devices(),
              senders.sent(),
              received.sum(),
              s.messageLatency().p99Ms(),
              s.httpLatency().p99Ms());
        }
        nextSecond += 1_000_000_000L;
        if (now - t0 >= length) {
          break;
        }
      }
      Thread.sleep(STEP_MILLIS);
    }
    senders.stop();
    Duration duration = Duration.ofNanos(System.nanoTime() - t0);
    memory.ifPresent(m -> readings.add(label(4, duration) + m.read().describe()));
    boolean drained = drain();
    Optional<Duration> cpuAfter = server.flatMap(p -> p.info().totalCpuDuration());
    messages.add(messageLatency.getIntervalHistogram());
    http.add(httpLatency.getIntervalHistogram());
    crowd.closeAll();
    double cpu =
        cpuBefore.isPresent() && cpuAfter.isPresent()
            ? cpuAfter.get().minus(cpuBefore.get()).toNanos() / 1e9
            : -1;
    return new Measured(
        started, duration, timeline, messages, http, drained, cpu, List.copyOf(readings));
  }

  private String label(int quarter, Duration elapsed) {
    return String.format(
        Locale.ROOT,
        "server memory at %d/4 of the run (%d s, %,d devices connected, after a full collection): ",
        quarter,
        elapsed.toSeconds(),
        crowd.size());
  }

  /** After the last send: its answer, then every delivery the server reported, or a timeout. */
  private boolean drain() throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
    senders.awaitAnswered(DRAIN_MILLIS);
    while (received.sum() < senders.expected() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return received.sum() >= senders.expected();
  }

  static Percentiles percentiles(Histogram h) {
    if (h.getTotalCount() == 0) {
      return Percentiles.NONE;
    }
    return new Percentiles(
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(95) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }
}
