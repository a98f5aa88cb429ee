package dev.switchboard.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives an {@link EchoTarget} the way the Node peer benchmark drives rpc-websockets: a sequential
 * phase (one call at a time, each one timed) and pipelined phases (exactly K calls in flight on the
 * one connection). Every reply is checked; every wait is bounded by the stall limit, so a lost
 * reply ends the run instead of hanging it.
 */
final class LoadGenerator {

  /** The sequential phase gives up after this long in total, whatever the per-call progress. */
  private static final Duration SEQUENTIAL_LIMIT = Duration.ofMinutes(2);

  private final EchoTarget target;
  private final String expected;
  private final Duration stall;

  LoadGenerator(EchoTarget target, Duration stall) {
    this.target = target;
    this.expected = target.expectedReply();
    this.stall = stall;
  }

  /**
   * {@code warmup} untimed calls, then {@code calls} timed ones, one at a time from this thread.
   */
  SequentialStats sequential(int warmup, int calls) throws InterruptedException {
    long limit = System.nanoTime() + SEQUENTIAL_LIMIT.toNanos();
    for (int i = 0; i < warmup; i++) {
      check(await(target.call()));
      failIfPast(limit, "warmup");
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      String reply = await(target.call());
      long end = System.nanoTime();
      nanos[i] = end - start;
      check(reply);
      if (end > limit) {
        failIfPast(limit, "timed calls");
      }
    }
    return SequentialStats.ofNanos(nanos);
  }

  /**
   * Keeps exactly {@code inflight} calls outstanding (each completion starts the next) for {@code
   * warmup}, then counts completions for {@code measure}, then lets the calls in flight finish.
   */
  PipelinedStats pipelined(int inflight, Duration warmup, Duration measure)
      throws InterruptedException {
    Pipeline pipeline = new Pipeline();
    for (int i = 0; i < inflight; i++) {
      pipeline.startWorker();
    }
    try {
      pipeline.runFor(warmup);
      long c0 = pipeline.completed.sum();
      long t0 = System.nanoTime();
      pipeline.runFor(measure);
      long c1 = pipeline.completed.sum();
      long t1 = System.nanoTime();
      pipeline.drain();
      return PipelinedStats.of(inflight, c1 - c0, t1 - t0);
    } finally {
      pipeline.stopping = true;
    }
  }

  private String await(CompletableFuture<String> reply) throws InterruptedException {
    try {
      return reply.get(stall.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new BenchmarkException("call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      reply.cancel(true);
      throw new BenchmarkException("no reply within " + stall.toSeconds() + " s (stalled)", e);
    }
  }

  private void check(String reply) {
    if (!expected.equals(reply)) {
      throw new BenchmarkException("reply does not equal what was sent: " + abbreviate(reply));
    }
  }

  private static void failIfPast(long limitNanos, String what) {
    if (System.nanoTime() > limitNanos) {
      throw new BenchmarkException(
          "the sequential phase ("
              + what
              + ") took longer than "
              + SEQUENTIAL_LIMIT.toSeconds()
              + " s");
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 120
        ? "'" + s + "'"
        : "'" + s.substring(0, 117) + "...' (" + s.length() + " chars)";
  }

  /**
   * The state of one pipelined phase. Workers run on whatever thread completes their previous call.
   */
  private final class Pipeline {
    final LongAdder completed = new LongAdder();
    final AtomicInteger workers = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final CompletableFuture<Void> allStopped = new CompletableFuture<>();
    volatile boolean stopping;

    void startWorker() {
      workers.incrementAndGet();
      next();
    }

    /** Starts calls until one is still pending (completions of an earlier call re-enter here). */
    private void next() {
      while (true) {
        if (stopping || failure.get() != null) {
          if (workers.decrementAndGet() == 0) {
            allStopped.complete(null);
          }
          return;
        }
        CompletableFuture<String> reply;
        try {
          reply = target.call();
        } catch (RuntimeException e) {
          fail(e);
          continue;
        }
        if (!reply.isDone()) {
          reply.whenComplete(
              (value, error) -> {
                record(value, error);
                next(); // the next call, or retire this worker after a failure
              });
          return;
        }
        reply.whenComplete(
            this::record); // done already: runs here, and the loop starts the next call
      }
    }

    private void record(String value, Throwable error) {
      if (error != null) {
        fail(new BenchmarkException("call failed: " + error, error));
      } else if (!expected.equals(value)) {
        fail(new BenchmarkException("reply does not equal what was sent: " + abbreviate(value)));
      } else {
        completed.increment();
      }
    }

    private void fail(Throwable t) {
      failure.compareAndSet(null, t);
    }

    /** Lets the workers run for {@code duration}, watching for failures and stalls. */
    void runFor(Duration duration) throws InterruptedException {
      long end = System.nanoTime() + duration.toNanos();
      long lastCount = completed.sum();
      long lastProgress = System.nanoTime();
      for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
        Thread.sleep(Duration.ofNanos(Math.min(end - now, TimeUnit.MILLISECONDS.toNanos(200))));
        rethrowFailure();
        long count = completed.sum();
        if (count != lastCount) {
          lastCount = count;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
          throw new BenchmarkException(
              "no call completed for "
                  + stall.toSeconds()
                  + " s (stalled after "
                  + count
                  + " calls)");
        }
      }
    }

    /** Stops starting calls and waits for those in flight. */
    void drain() throws InterruptedException {
      stopping = true;
      try {
        allStopped.get(stall.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (TimeoutException e) {
        throw new BenchmarkException(
            workers.get()
                + " calls still in flight "
                + stall.toSeconds()
                + " s after the phase ended",
            e);
      }
      rethrowFailure();
    }

    private void rethrowFailure() {
      Throwable t = failure.get();
      if (t instanceof BenchmarkException b) {
        throw b;
      }
      if (t != null) {
        throw new BenchmarkException(t.toString(), t);
      }
    }
  }
}
