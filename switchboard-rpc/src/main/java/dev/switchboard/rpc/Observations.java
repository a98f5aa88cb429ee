package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Response;
import dev.switchboard.jsonrpc.TraceContext;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls an {@link RpcObserver} and its observations so that one that throws (or returns null)
 * cannot break a call: each failure is logged at debug and the call goes on unobserved. With {@link
 * RpcObserver#NONE} every method returns at once, allocating nothing.
 */
final class Observations {

  private static final Logger log = LoggerFactory.getLogger(RpcObserver.class);

  static final OptionalInt OK = OptionalInt.empty();
  static final OptionalInt CONNECTION_CLOSED = OptionalInt.of(RpcObserver.CONNECTION_CLOSED);
  static final OptionalInt QUEUE_FULL = OptionalInt.of(RpcObserver.QUEUE_FULL);
  static final OptionalInt PENDING_LIMIT = OptionalInt.of(RpcObserver.PENDING_LIMIT);
  static final OptionalInt UNSENDABLE = OptionalInt.of(RpcObserver.UNSENDABLE);

  private Observations() {}

  static RpcObserver.Observation serving(
      RpcObserver observer, String method, Optional<TraceContext> incoming) {
    if (observer == RpcObserver.NONE) {
      return RpcObserver.Observation.NONE;
    }
    try {
      return orNone(observer.serving(method, incoming));
    } catch (RuntimeException e) {
      log.debug("observer {} failed on serving '{}'", observer, method, e);
      return RpcObserver.Observation.NONE;
    }
  }

  static RpcObserver.Observation calling(RpcObserver observer, String method) {
    if (observer == RpcObserver.NONE) {
      return RpcObserver.Observation.NONE;
    }
    try {
      return orNone(observer.calling(method));
    } catch (RuntimeException e) {
      log.debug("observer {} failed on calling '{}'", observer, method, e);
      return RpcObserver.Observation.NONE;
    }
  }

  static Optional<TraceContext> outgoing(RpcObserver.Observation observation) {
    if (observation == RpcObserver.Observation.NONE) {
      return Optional.empty();
    }
    try {
      Optional<TraceContext> context = observation.outgoing();
      return context == null ? Optional.empty() : context;
    } catch (RuntimeException e) {
      log.debug("observation {} failed on outgoing()", observation, e);
      return Optional.empty();
    }
  }

  /**
   * Runs {@code handler} inside the observation's {@code around}, exactly once: should the
   * observer's wrapper throw before running it, or never run it, it runs bare.
   */
  static void run(RpcObserver.Observation observation, Runnable handler) {
    if (observation == RpcObserver.Observation.NONE) {
      handler.run();
      return;
    }
    AtomicBoolean ran = new AtomicBoolean();
    Runnable once =
        () -> {
          if (ran.compareAndSet(false, true)) {
            handler.run();
          }
        };
    try {
      Runnable wrapped = observation.around(once);
      (wrapped == null ? once : wrapped).run();
    } catch (RuntimeException e) {
      log.debug("observation {} failed around its handler", observation, e);
    }
    once.run();
  }

  /** Ends a call served with the answer it got; a null answer: none, the connection is gone. */
  static void answered(RpcObserver.Observation observation, Response answer) {
    if (observation == RpcObserver.Observation.NONE) {
      return;
    }
    ended(
        observation,
        switch (answer) {
          case null -> CONNECTION_CLOSED;
          case Response.Success success -> OK;
          case Response.Failure failure -> OptionalInt.of(failure.error().code());
        });
  }

  static void failed(RpcObserver.Observation observation, int code) {
    if (observation != RpcObserver.Observation.NONE) {
      ended(observation, OptionalInt.of(code));
    }
  }

  static void failed(RpcObserver.Observation observation, ErrorObject error) {
    failed(observation, error.code());
  }

  static void ended(RpcObserver.Observation observation, OptionalInt errorCode) {
    if (observation == RpcObserver.Observation.NONE) {
      return;
    }
    try {
      observation.ended(errorCode);
    } catch (RuntimeException e) {
      log.debug("observation {} failed on ended({})", observation, errorCode, e);
    }
  }

  private static RpcObserver.Observation orNone(RpcObserver.Observation observation) {
    return observation == null ? RpcObserver.Observation.NONE : observation;
  }
}
