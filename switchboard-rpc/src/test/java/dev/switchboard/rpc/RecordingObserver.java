package dev.switchboard.rpc;

import static org.awaitility.Awaitility.await;

import dev.switchboard.jsonrpc.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An {@link RpcObserver} that records every observation as it ends, gives each call it makes a
 * traceparent of its own, and marks the thread of a served handler (see {@link #insideAround()}).
 * Problems a test could not see in the recording are collected in {@link #violations()}: an
 * observation ended twice, a wrapper run outside its handler's thread.
 */
final class RecordingObserver implements RpcObserver {

  /** Which way a call went, seen from this side. */
  enum Way {
    SERVED,
    MADE
  }

  /** One ended observation. */
  record Ended(Way way, String method, Optional<TraceContext> incoming, OptionalInt errorCode) {
    boolean ok() {
      return errorCode.isEmpty();
    }
  }

  /** Set on the handler's thread while {@code around} runs it: the method being served. */
  private static final ThreadLocal<String> AROUND = new ThreadLocal<>();

  private final List<Ended> ended = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final AtomicInteger nextSpan = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();

  /** The method whose handler runs on this thread inside its observation, if any. */
  static Optional<String> insideAround() {
    return Optional.ofNullable(AROUND.get());
  }

  /** The traceparent this observer puts on the {@code n}th call it makes (from 1). */
  static TraceContext outgoing(int n) {
    return new TraceContext(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-%016x-01".formatted(n), Optional.of("probe=" + n));
  }

  @Override
  public Observation serving(String method, Optional<TraceContext> incoming) {
    return new Recording(Way.SERVED, method, incoming, Optional.empty());
  }

  @Override
  public Observation calling(String method) {
    return new Recording(
        Way.MADE, method, Optional.empty(), Optional.of(outgoing(nextSpan.incrementAndGet())));
  }

  /** What ended so far, in order. */
  synchronized List<Ended> ended() {
    return List.copyOf(ended);
  }

  /** Observations started and not yet ended. */
  int open() {
    return open.get();
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** Waits until an observation matching {@code which} has ended, and returns the first one. */
  Ended awaitEnded(Predicate<Ended> which) {
    return await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ended().stream().filter(which).findFirst(), Optional::isPresent)
        .get();
  }

  Ended awaitEnded(Way way, String method) {
    return awaitEnded(e -> e.way() == way && e.method().equals(method));
  }

  private synchronized void record(Ended value) {
    ended.add(value);
  }

  private synchronized void violation(String what) {
    violations.add(what);
  }

  private final class Recording implements Observation {
    private final Way way;
    private final String method;
    private final Optional<TraceContext> incoming;
    private final Optional<TraceContext> outgoing;
    private final AtomicInteger ends = new AtomicInteger();

    Recording(
        Way way, String method, Optional<TraceContext> incoming, Optional<TraceContext> outgoing) {
      this.way = way;
      this.method = method;
      this.incoming = incoming;
      this.outgoing = outgoing;
      open.incrementAndGet();
    }

    @Override
    public Optional<TraceContext> outgoing() {
      return outgoing;
    }

    @Override
    public Runnable around(Runnable handler) {
      if (way != Way.SERVED) {
        violation("around() for a call made: " + method);
      }
      return () -> {
        AROUND.set(method);
        try {
          handler.run();
        } finally {
          AROUND.remove();
        }
      };
    }

    @Override
    public void ended(OptionalInt errorCode) {
      if (ends.incrementAndGet() > 1) {
        violation("ended twice: " + way + " " + method + " " + errorCode);
        return;
      }
      open.decrementAndGet();
      record(new Ended(way, method, incoming, errorCode));
    }
  }
}
