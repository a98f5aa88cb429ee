package dev.switchboard.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady push: notifications to single users at a fixed rate, each to a device picked at random
 * (the same sequence for every system). Open loop: every send leaves at its scheduled time whether
 * or not earlier ones were answered, and its latency counts from that scheduled time, so a server
 * (or publisher) that falls behind shows it in the numbers instead of slowing the schedule down.
 *
 * <p>One run per instance. The publisher is the calling thread; deliveries and HTTP answers arrive
 * on event loops.
 */
final class SteadyPushPhase implements DeviceFleet.Listener {

  /**
   * Sequence numbers of this phase start here, far above the fan-out's, so that a late fan-out
   * delivery is never taken for one of ours.
   */
  static final long SEQ_BASE = 1L << 48;

  private static final long RANDOM_SEED = 20261122L;

  private final PushTarget target;
  private final DeviceFleet fleet;
  private final FanoutSettings settings;
  private final PrintStream progress;
  private final CpuMeter cpu;
  private final int total;
  private final int firstMeasured;

  /** The device (user) each send goes to. */
  private final int[] devices;

  private final AtomicIntegerArray received;
  private final LatencyHistogram latency = new LatencyHistogram();

  /**
   * The worst latency of the sends scheduled in each second of the run, warm-up included, in
   * nanoseconds.
   */
  private final AtomicLongArray worstBySecond;

  private final LongAdder duplicates = new LongAdder();
  private final LongAdder misdelivered = new LongAdder();
  private final LongAdder strays = new LongAdder();
  private final LongAdder publishErrors = new LongAdder();
  private final LongAdder undelivered = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  SteadyPushPhase(
      PushTarget target,
      DeviceFleet fleet,
      FanoutSettings settings,
      CpuMeter cpu,
      PrintStream progress) {
    this.target = target;
    this.fleet = fleet;
    this.settings = settings;
    this.cpu = cpu;
    this.progress = progress;
    double warmupSends = settings.rate() * settings.warmupSeconds();
    this.firstMeasured = (int) Math.ceil(warmupSends);
    this.total =
        Math.toIntExact((long) Math.ceil(warmupSends + settings.rate() * settings.seconds()));
    this.devices = new SplittableRandom(RANDOM_SEED).ints(total, 0, fleet.size()).toArray();
    this.received = new AtomicIntegerArray(total);
    this.worstBySecond = new AtomicLongArray(total / settings.rate() + 1);
  }

  @Override
  public void onDelivery(int device, long seq, long sentNanos, long receivedNanos) {
    long index = seq - SEQ_BASE;
    if (index < 0 || index >= total) {
      strays.increment();
      return;
    }
    int i = (int) index;
    if (devices[i] != device) {
      misdelivered.increment();
      return;
    }
    if (received.incrementAndGet(i) > 1) {
      duplicates.increment();
      return;
    }
    long nanos = receivedNanos - sentNanos;
    if (i >= firstMeasured) {
      latency.record(nanos);
    }
    worstBySecond.accumulateAndGet(i / settings.rate(), nanos, Math::max);
  }

  PushStats run() throws InterruptedException {
    fleet.listener(this);
    progress.printf(
        "  steady push: %d/s to single users, %s s warm-up, %s s measured%n",
        settings.rate(),
        RpcBenchSettings.plain(settings.warmupSeconds()),
        RpcBenchSettings.plain(settings.seconds()));
    double interval = 1e9 / settings.rate();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long maxLag = 0;
    long windowStart = start;
    long lastScheduled = start;
    long nextPrint = start + TimeUnit.SECONDS.toNanos(5);
    CpuMeter.Snapshot cpu0 = cpu.snapshot();
    for (int i = 0; i < total; i++) {
      long scheduled = start + Math.round(i * interval);
      long now = waitUntil(scheduled);
      maxLag = Math.max(maxLag, now - scheduled);
      if (i == firstMeasured) {
        windowStart = scheduled;
        cpu0 = cpu.snapshot();
      }
      lastScheduled = scheduled;
      send(i, scheduled);
      if (now >= nextPrint) {
        progress.printf("  steady push: %,d/%,d sent%n", i + 1, total);
        nextPrint = now + TimeUnit.SECONDS.toNanos(5);
      }
    }
    CpuUsage used = CpuMeter.between(cpu0, cpu.snapshot());
    awaitDeliveries();
    long sends = total - firstMeasured;
    double seconds = Math.max(1e-9, (lastScheduled - windowStart) / 1e9 + 1.0 / settings.rate());
    long misses = 0;
    for (int i = firstMeasured; i < total; i++) {
      if (received.get(i) == 0) {
        misses++;
      }
    }
    return new PushStats(
        sends,
        Math.round(sends / seconds * 10) / 10.0,
        misses,
        duplicates.sum(),
        misdelivered.sum(),
        publishErrors.sum(),
        undelivered.sum(),
        Math.round(maxLag / 1e3) / 1e3,
        latency.stats(),
        worstBySecondMs(),
        used,
        Optional.ofNullable(firstError.get()));
  }

  private List<Double> worstBySecondMs() {
    List<Double> worst = new ArrayList<>();
    for (int s = 0; s < worstBySecond.length(); s++) {
      worst.add(Math.round(worstBySecond.get(s) / 1e3) / 1e3);
    }
    return worst;
  }

  private void send(int i, long scheduled) {
    String payload =
        PushPayload.of(SEQ_BASE + i, scheduled, settings.payloadBytes(), settings.payload());
    target
        .send("u" + devices[i], payload)
        .onComplete(
            deliveredTo -> {
              if (deliveredTo == 0) {
                undelivered.increment();
              }
            },
            error -> {
              publishErrors.increment();
              firstError.compareAndSet(null, error.toString());
            });
  }

  /** Until every send arrived, or the message timeout passed since the last was sent. */
  private void awaitDeliveries() throws InterruptedException {
    long deadline = System.nanoTime() + settings.messageTimeout().toNanos();
    int next = 0;
    while (System.nanoTime() < deadline) {
      while (next < total && received.get(next) > 0) {
        next++;
      }
      if (next == total) {
        return;
      }
      Thread.sleep(5);
    }
  }

  /**
   * Parks until {@code when}; returns the time it woke. No spinning: on two shared cores a spinning
   * publisher would take CPU from the server; waking up to ~0.1 ms late counts against the latency,
   * which is far below what is measured.
   */
  private static long waitUntil(long when) {
    long now = System.nanoTime();
    while (now < when) {
      LockSupport.parkNanos(when - now);
      now = System.nanoTime();
    }
    return now;
  }
}
