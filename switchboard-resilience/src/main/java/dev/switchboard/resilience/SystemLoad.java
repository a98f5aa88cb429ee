package dev.switchboard.resilience;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A {@link LoadLevel} from CPU and heap usage, sampled on a timer of its own, never on the call
 * path: a {@link LoadShedder} reads the last sample (one volatile read). The level is the higher of
 * the two: CPU or heap use (0..1) from 0.7 is ELEVATED, from 0.85 HIGH, from 0.95 CRITICAL. Close
 * it to stop sampling.
 */
public final class SystemLoad implements Supplier<LoadLevel>, AutoCloseable {

  private final DoubleSupplier cpu;
  private final DoubleSupplier heap;
  private final ScheduledExecutorService timer;
  private volatile LoadLevel level = LoadLevel.NORMAL;

  private SystemLoad(DoubleSupplier cpu, DoubleSupplier heap, ScheduledExecutorService timer) {
    this.cpu = cpu;
    this.heap = heap;
    this.timer = timer;
  }

  /**
   * Samples this JVM every {@code interval}: CPU as the system load average per processor, heap as
   * used over max (or committed when there is no max).
   */
  public static SystemLoad start(Duration interval) {
    long every = Check.positive("interval", interval).toNanos();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-system-load");
              t.setDaemon(true);
              return t;
            });
    SystemLoad load = new SystemLoad(SystemLoad::cpuShare, SystemLoad::heapShare, timer);
    timer.scheduleAtFixedRate(load::sample, 0, every, TimeUnit.NANOSECONDS);
    return load;
  }

  /**
   * A load whose samples come from {@code cpu} and {@code heap} (0..1), taken only when {@link
   * #sample()} runs.
   */
  public static SystemLoad of(DoubleSupplier cpu, DoubleSupplier heap) {
    return new SystemLoad(
        Objects.requireNonNull(cpu, "cpu"), Objects.requireNonNull(heap, "heap"), null);
  }

  /** Takes a sample now. */
  public void sample() {
    double worst = Math.max(cpu.getAsDouble(), heap.getAsDouble());
    level =
        worst >= 0.95
            ? LoadLevel.CRITICAL
            : worst >= 0.85 ? LoadLevel.HIGH : worst >= 0.7 ? LoadLevel.ELEVATED : LoadLevel.NORMAL;
  }

  /** The level of the last sample. */
  @Override
  public LoadLevel get() {
    return level;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private static double cpuShare() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    double average = os.getSystemLoadAverage();
    return average < 0 ? 0 : average / os.getAvailableProcessors();
  }

  private static double heapShare() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    return max <= 0 ? 0 : (double) heap.getUsed() / max;
  }
}
