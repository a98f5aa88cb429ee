package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The patterns that make a caller wait (bulkhead queue, backpressure, rate limiter, retry's default
 * sleeper, timeout) park virtual threads without pinning them to their carrier: a JFR recording of
 * {@code jdk.VirtualThreadPinned} with threshold 0 stays empty while many virtual threads contend.
 * This test uses real time (short waits), because pinning only shows when threads really park.
 */
class VirtualThreadPinningTest {

  private static final int CALLERS = 64;

  private final EventBus bus = new EventBus();

  @Test
  void waitingPatternsDoNotPinVirtualThreads(@TempDir Path dir) throws Exception {
    Bulkhead bulkhead =
        Bulkhead.of(
            "bulkhead",
            BulkheadConfig.builder()
                .maxConcurrentCalls(2)
                .maxWaitingCalls(CALLERS)
                .maxWait(Duration.ofSeconds(5))
                .eventBus(bus)
                .build());
    Backpressure backpressure =
        Backpressure.of(
            "backpressure",
            BackpressureConfig.builder()
                .highWaterMark(2)
                .lowWaterMark(1)
                .maxWait(Duration.ofSeconds(5))
                .eventBus(bus)
                .build());
    RateLimiter limiter =
        RateLimiter.of(
            "limiter",
            RateLimiterConfig.builder()
                .rate(2_000)
                .period(Duration.ofSeconds(1))
                .burst(1)
                .timeout(Duration.ofSeconds(5))
                .eventBus(bus)
                .build());
    Retry retry =
        Retry.of(
            "retry",
            RetryConfig.builder()
                .maxAttempts(3)
                .backoff(Backoff.constant(Duration.ofMillis(1)))
                .eventBus(bus)
                .build());
    Timeout timeout =
        Timeout.of(
            "timeout",
            TimeoutConfig.builder().timeout(Duration.ofSeconds(5)).eventBus(bus).build());

    List<Callable<?>> waitingCalls =
        List.of(
            () -> bulkhead.call(VirtualThreadPinningTest::work),
            () -> {
              assertThat(backpressure.acquire(Duration.ofSeconds(5))).isTrue();
              try {
                return work();
              } finally {
                backpressure.release();
              }
            },
            () -> limiter.acquire(Duration.ofSeconds(5)),
            () -> retry.call(failingTwice()),
            () -> timeout.call(VirtualThreadPinningTest::work));
    // Warm up under the same contention, unrecorded: a class loaded or initialised for the first
    // time while
    // others wait for it pins in the JDK's class loader, once, and is not what is tested.
    for (Callable<?> call : waitingCalls) {
      contend(call);
    }

    List<String> pinned =
        recordPinning(
            dir,
            () -> {
              for (Callable<?> call : waitingCalls) {
                contend(call);
              }
            });

    assertThat(pinned).as("jdk.VirtualThreadPinned events").isEmpty();
  }

  /** Work to run while recording. */
  @FunctionalInterface
  private interface Workload {
    void run() throws Exception;
  }

  /**
   * Runs {@code workload} under an in-process JFR recording of {@code jdk.VirtualThreadPinned}
   * (threshold 0) and returns the pinned events found, as text.
   */
  private static List<String> recordPinning(Path dir, Workload workload) throws Exception {
    Path file = dir.resolve("pinning.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
      recording.start();
      workload.run();
      recording.stop();
      recording.dump(file);
    }
    List<String> pinned = new ArrayList<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (event.getEventType().getName().equals("jdk.VirtualThreadPinned")
          && !classInitialization(event)) {
        pinned.add(event.toString());
      }
    }
    Files.deleteIfExists(file);
    return pinned;
  }

  /**
   * A thread waiting while another initializes a JDK class is pinned by the JVM whatever our code
   * does: the first exception built under a recording initializes JFR's own {@code
   * jdk.internal.event.ThrowableTracer} that way. Pins while one of our classes initializes still
   * count.
   */
  private static boolean classInitialization(RecordedEvent event) {
    if (!event.hasField("pinnedReason")) {
      return false;
    }
    String reason = event.getString("pinnedReason");
    return reason != null
        && (reason.contains("initialization of") || reason.contains("<clinit>"))
        && (reason.contains(" jdk.") || reason.contains(" java.") || reason.contains(" sun."));
  }

  /**
   * Runs {@code call} on {@link #CALLERS} virtual threads released together; every call must
   * succeed.
   */
  private static void contend(Callable<?> call) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        results.add(
            threads.submit(
                () -> {
                  gate.await();
                  return call.call();
                }));
      }
      gate.countDown();
      for (Future<?> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isNotNull();
      }
    }
  }

  /** A short real wait, so callers pile up behind the pattern. */
  private static String work() throws InterruptedException {
    Thread.sleep(Duration.ofMillis(1));
    return "done";
  }

  /**
   * Built once, before any recording: constructing a Throwable while JFR records may pin inside the
   * JDK's own exception tracing ("Freeze or preempt failed" in {@code Throwable.<init>}), which is
   * not what is tested.
   */
  private static final IOException TRANSIENT = new IOException("transient failure");

  private static Callable<String> failingTwice() {
    AtomicInteger attempts = new AtomicInteger();
    return () -> {
      if (attempts.incrementAndGet() <= 2) {
        throw TRANSIENT;
      }
      return "done";
    };
  }
}
