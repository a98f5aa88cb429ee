package dev.switchboard.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One level of the fan-out phase: one publisher sends messages to the channel every device
 * subscribed to, keeping a fixed number in flight. A message is in flight from its HTTP request
 * until the server has answered and every device has received it; then the next one goes. After the
 * warm-up, every delivery that arrives in the measured window counts ({@code deliveries/s}), and
 * every delivery of a message sent in the window gives one latency sample. A message that does not
 * reach every device within the message timeout is given up and its missing deliveries are reported
 * as lost.
 *
 * <p>One run per instance. The publisher is the calling thread; deliveries and HTTP answers arrive
 * on event loops.
 */
final class FanoutPhase implements DeviceFleet.Listener {

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final PushTarget target;
  private final DeviceFleet fleet;
  private final FanoutSettings settings;
  private final PrintStream progress;
  private final CpuMeter cpu;
  private final int inflight;
  private final Duration warmup;

  /**
   * Each level numbers its messages from its own base, so that a late delivery of another level is
   * a stray.
   */
  private final long seqBase;

  private final Semaphore window;
  private final ConcurrentHashMap<Long, Message> inFlight = new ConcurrentHashMap<>();
  private final LatencyHistogram latency = new LatencyHistogram();
  private final LongAdder receipts = new LongAdder();
  private final LongAdder windowReceipts = new LongAdder();
  private final LongAdder strays = new LongAdder();
  private final LongAdder reordered = new LongAdder();
  private final LongAdder incomplete = new LongAdder();
  private final LongAdder lostReceipts = new LongAdder();
  private final LongAdder publishErrors = new LongAdder();
  private final LongAdder miscounted = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  /**
   * The last sequence number each device received; each slot is written by its device's event loop
   * only.
   */
  private final long[] lastSeq;

  private volatile boolean measuring;

  /**
   * @param level the index of the level to run in {@link FanoutSettings#fanoutInflight()}
   */
  FanoutPhase(
      PushTarget target,
      DeviceFleet fleet,
      FanoutSettings settings,
      int level,
      CpuMeter cpu,
      PrintStream progress) {
    this.target = target;
    this.fleet = fleet;
    this.settings = settings;
    this.cpu = cpu;
    this.progress = progress;
    this.inflight = settings.fanoutInflight().get(level);
    this.warmup = settings.fanoutWarmup(level);
    this.seqBase = (long) level << 32;
    this.window = new Semaphore(inflight);
    this.lastSeq = new long[fleet.size()];
    Arrays.fill(lastSeq, -1);
  }

  /** One message: in flight until the server answered and every device received it. */
  private static final class Message {
    final long seq;
    final long sentNanos;
    final boolean measured;

    /** Deliveries still missing, plus one until the HTTP answer arrived. */
    final AtomicInteger pending;

    volatile boolean answered;

    Message(long seq, long sentNanos, boolean measured, int devices) {
      this.seq = seq;
      this.sentNanos = sentNanos;
      this.measured = measured;
      this.pending = new AtomicInteger(devices + 1);
    }
  }

  @Override
  public void onDelivery(int device, long seq, long sentNanos, long receivedNanos) {
    receipts.increment();
    if (measuring) {
      windowReceipts.increment();
    }
    if (seq <= lastSeq[device]) {
      reordered.increment();
    } else {
      lastSeq[device] = seq;
    }
    Message message = inFlight.get(seq);
    if (message == null) {
      strays.increment();
      return;
    }
    if (message.measured) {
      latency.record(receivedNanos - sentNanos);
    }
    if (message.pending.decrementAndGet() == 0) {
      retire(message);
    }
  }

  FanoutStats run() throws InterruptedException {
    fleet.listener(this);
    long start = System.nanoTime();
    long windowStart = start + warmup.toNanos();
    long end = windowStart + settings.measure().toNanos();
    long t0 = start;
    CpuMeter.Snapshot cpu0 = cpu.snapshot();
    long messages = 0;
    long seq = seqBase;
    Watchdog watchdog = new Watchdog();
    progress.printf(
        "  fan-out, %d in flight: %s s warm-up, %s s measured%n",
        inflight,
        RpcBenchSettings.plain(warmup.toNanos() / 1e9),
        RpcBenchSettings.plain(settings.seconds()));
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (!measuring && now >= windowStart) {
        cpu0 = cpu.snapshot();
        t0 = now;
        measuring = true;
      }
      watchdog.check(now);
      if (!window.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS)) {
        continue;
      }
      boolean measured = measuring;
      publish(seq++, measured);
      if (measured) {
        messages++;
      }
    }
    measuring = false;
    long t1 = System.nanoTime();
    CpuUsage used = CpuMeter.between(cpu0, cpu.snapshot());
    drain(watchdog);
    double seconds = (t1 - t0) / 1e9;
    long counted = windowReceipts.sum();
    return new FanoutStats(
        inflight,
        Math.round(seconds * 1000) / 1000.0,
        counted,
        Math.round(counted / seconds * 10) / 10.0,
        messages,
        incomplete.sum(),
        lostReceipts.sum(),
        strays.sum(),
        reordered.sum(),
        publishErrors.sum(),
        miscounted.sum(),
        latency.stats(),
        used,
        Optional.ofNullable(firstError.get()));
  }

  private void publish(long seq, boolean measured) {
    long sent = System.nanoTime();
    Message message = new Message(seq, sent, measured, fleet.size());
    inFlight.put(seq, message);
    target
        .publish(
            FanoutBenchmark.CHANNEL,
            PushPayload.of(seq, sent, settings.payloadBytes(), settings.payload()))
        .onComplete(
            deliveredTo -> {
              if (deliveredTo >= 0 && deliveredTo != fleet.size()) {
                miscounted.increment();
              }
              message.answered = true;
              if (message.pending.decrementAndGet() == 0) {
                retire(message);
              }
            },
            error -> {
              publishErrors.increment();
              firstError.compareAndSet(null, error.toString());
              message.answered = true;
              giveUp(message);
            });
  }

  /** Every device got it: the window has room for the next message. */
  private void retire(Message message) {
    if (inFlight.remove(message.seq, message)) {
      window.release();
    }
  }

  /** Lost: counts the deliveries it still lacks, and frees its place in the window. */
  private void giveUp(Message message) {
    if (inFlight.remove(message.seq, message)) {
      if (message.measured) {
        incomplete.increment();
        lostReceipts.add(Math.max(0, message.pending.get() - (message.answered ? 0 : 1)));
      }
      window.release();
    }
  }

  /** Waits for the messages still in flight, at most the message timeout. */
  private void drain(Watchdog watchdog) throws InterruptedException {
    while (!inFlight.isEmpty()) {
      watchdog.check(System.nanoTime());
      Thread.sleep(5);
    }
  }

  /** Gives up overdue messages, and the whole phase when nothing arrives any more. */
  private final class Watchdog {
    private long lastReceipts = -1;
    private long lastProgress = System.nanoTime();
    private long lastPrint = System.nanoTime();

    void check(long now) {
      long timeout = settings.messageTimeout().toNanos();
      for (Message message : inFlight.values()) {
        if (now - message.sentNanos > timeout) {
          giveUp(message);
        }
      }
      long seen = receipts.sum();
      if (seen != lastReceipts) {
        lastReceipts = seen;
        lastProgress = now;
      } else if (now - lastProgress > 2 * timeout) {
        throw new BenchmarkException(
            "no delivery for "
                + 2 * settings.messageTimeout().toSeconds()
                + " s (stalled after "
                + seen
                + " deliveries; "
                + fleet.dropped()
                + " devices dropped"
                + (fleet.problems().isEmpty() ? "" : "; first problems: " + fleet.problems())
                + ")");
      }
      if (now - lastPrint > TimeUnit.SECONDS.toNanos(5)) {
        lastPrint = now;
        progress.printf("  fan-out: %,d deliveries so far%n", seen);
      }
    }
  }
}
