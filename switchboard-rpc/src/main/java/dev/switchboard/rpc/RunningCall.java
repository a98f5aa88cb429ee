package dev.switchboard.rpc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Id;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.jsonrpc.Response;
import dev.switchboard.resilience.AdaptiveLimiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call from the peer, from admission to its single answer. Whoever first {@link #finish
 * finishes} it (the handler, a cancel, the deadline, the connection closing) sends the answer and
 * frees its slot; the others do nothing.
 */
final class RunningCall implements RpcCall, Runnable {

  private static final Logger log = LoggerFactory.getLogger(RunningCall.class);
  private static final VarHandle PERMIT;
  private static final VarHandle FINISHED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PERMIT = lookup.findVarHandle(RunningCall.class, "permit", AdaptiveLimiter.Permit.class);
      FINISHED = lookup.findVarHandle(RunningCall.class, "finished", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RealRpcConnection connection;
  private final Optional<Id> id;
  private final String method;
  private final Params params;
  private final RpcMethods.Invocable invocable;
  private final Optional<Instant> deadline;

  /** Where the answer goes; ignored for notifications. Called at most once. */
  private final Consumer<Response> reply;

  /** Ended by {@link #finish}, so exactly once. */
  private final RpcObserver.Observation observation;

  /**
   * Set once, through FINISHED, by whoever finishes the call (a field rather than an AtomicBoolean:
   * one object less per call).
   */
  private volatile boolean finished;

  /** The thread running the handler, while it runs. */
  private volatile Thread thread;

  private volatile CompletionStage<?> stage;
  private volatile ScheduledFuture<?> deadlineTimer;
  private volatile boolean cancelled;

  /**
   * The shared handler limiter's permit, until the call ends and reports how (taken once, through
   * PERMIT).
   */
  private volatile AdaptiveLimiter.Permit permit;

  RunningCall(
      RealRpcConnection connection,
      Optional<Id> id,
      String method,
      Params params,
      RpcMethods.Invocable invocable,
      Optional<Instant> deadline,
      Consumer<Response> reply,
      RpcObserver.Observation observation) {
    this.connection = connection;
    this.id = id;
    this.method = method;
    this.params = params;
    this.invocable = invocable;
    this.deadline = deadline;
    this.reply = reply;
    this.observation = observation;
  }

  /** Holds {@code value} until the call ends; a call that already ended gives it back at once. */
  void permit(AdaptiveLimiter.Permit value) {
    permit = value;
    if (finished) {
      report(null);
    }
  }

  /**
   * Tells the handler limiter how the call ended: an overrun deadline means the server is too slow
   * (the limit shrinks); a cancel or a closed connection says nothing about capacity; any other
   * answer, an application error included, is a call the server handled.
   */
  private void report(Response answer) {
    AdaptiveLimiter.Permit held = (AdaptiveLimiter.Permit) PERMIT.getAndSet(this, null);
    if (held == null) {
      return;
    }
    int code =
        switch (answer) {
          case null -> ErrorObject.CANCELLED;
          case Response.Failure failure -> failure.error().code();
          case Response.Success success -> 0;
        };
    switch (code) {
      case ErrorObject.DEADLINE_EXCEEDED -> held.failure();
      case ErrorObject.CANCELLED -> held.ignore();
      default -> held.success();
    }
  }

  /**
   * Whether the handler runs on the thread that read the request ({@link RpcMethod#nonBlocking()}).
   */
  boolean runsInline() {
    return invocable.nonBlocking();
  }

  void deadlineTimer(ScheduledFuture<?> timer) {
    deadlineTimer = timer;
    if (finished) {
      timer.cancel(false);
    }
  }

  @Override
  public void run() {
    if (finished) {
      return; // cancelled or expired while queued: expired work is not started
    }
    if (observation == RpcObserver.Observation.NONE) {
      handle();
    } else {
      Observations.run(observation, this::handle);
    }
  }

  private void handle() {
    if (remaining().map(Duration::isZero).orElse(false)) {
      finish(
          error(
              ErrorObject.DEADLINE_EXCEEDED, "deadline exceeded before '" + method + "' started"));
      return;
    }
    // A non-blocking method runs on the thread that read the request (an event loop): never
    // interrupt that one.
    boolean inline = invocable.nonBlocking();
    if (!inline) {
      thread = Thread.currentThread();
    }
    try {
      if (finished) {
        return;
      }
      Object result = invocable.invoke(this);
      if (result instanceof CompletionStage<?> async) {
        stage = async;
        async.whenComplete(
            (value, failure) -> {
              if (failure != null) {
                finish(failed(failure));
              } else {
                finish(succeeded(value));
              }
            });
        if (finished) {
          async.toCompletableFuture().cancel(true);
        }
      } else {
        finish(succeeded(result));
      }
    } catch (Throwable failure) {
      finish(failed(failure));
    } finally {
      if (!inline) {
        thread = null;
        Thread.interrupted(); // an interrupt that raced with the end of the handler stays here
      }
    }
  }

  /** Answers {@code error} without running the handler: busy, overloaded, duplicate id. */
  void refuse(ErrorObject error) {
    finish(Response.failure(id.orElse(Id.nullId()), error));
  }

  /** Stops the call and answers {@code error}: rpc.cancel, the deadline. */
  void cancel(int code, String message) {
    if (finish(error(code, message))) {
      cancelled = true;
      interrupt();
    }
  }

  /** Stops the call without an answer: the connection is gone. */
  void abandon() {
    if (finish(null)) {
      cancelled = true;
      interrupt();
    }
  }

  private void interrupt() {
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
    CompletionStage<?> async = stage;
    if (async != null) {
      async.toCompletableFuture().cancel(true);
    }
  }

  /**
   * Answers once and frees the slot; false when someone finished first. A null answer sends
   * nothing.
   */
  private boolean finish(Response answer) {
    if (!FINISHED.compareAndSet(this, false, true)) {
      return false;
    }
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    connection.release(this);
    report(answer);
    if (answer != null && id.isPresent()) {
      reply.accept(answer); // never throws: Answers turns every failure into an error answer
    }
    if (observation != RpcObserver.Observation.NONE) {
      Observations.answered(observation, answer);
    }
    return true;
  }

  private Response succeeded(Object value) {
    try {
      return Response.success(id.orElse(Id.nullId()), Json.toNode(value));
    } catch (RuntimeException e) {
      log.warn(
          "{}: cannot serialize the result of '{}': {}",
          connection.describe(),
          method,
          e.toString());
      return error(
          ErrorObject.INTERNAL_ERROR,
          "Internal error: the result of '" + method + "' cannot be serialized");
    }
  }

  private Response failed(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RpcException rpc) {
      return Response.failure(id.orElse(Id.nullId()), rpc.error());
    }
    if (cause instanceof InterruptedException || cause instanceof CancellationException) {
      return error(ErrorObject.CANCELLED, "'" + method + "' was cancelled");
    }
    log.debug("{}: '{}' failed", connection.describe(), method, cause);
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return error(ErrorObject.APPLICATION_ERROR, message);
  }

  private Response error(int code, String message) {
    return Response.failure(id.orElse(Id.nullId()), ErrorObject.of(code, message));
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException
            || t instanceof ExecutionException
            || t instanceof InvocationTargetException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // RpcCall

  @Override
  public String method() {
    return method;
  }

  @Override
  public Optional<Id> id() {
    return id;
  }

  @Override
  public Params params() {
    return params;
  }

  @Override
  public <T> T param(int index, Class<T> type) {
    if (!(params instanceof Params.ByPosition byPosition)
        || index < 0
        || index >= byPosition.values().size()) {
      throw MethodBinding.invalid("missing param at position " + index);
    }
    return bind(byPosition.values().get(index), "param " + index, type);
  }

  @Override
  public <T> T param(String name, Class<T> type) {
    JsonNode value = params instanceof Params.ByName byName ? byName.values().get(name) : null;
    if (value == null) {
      throw MethodBinding.invalid("missing param '" + name + "'");
    }
    return bind(value, "param '" + name + "'", type);
  }

  @Override
  public <T> T paramsAs(Class<T> type) {
    return bind(paramsNode(), "params", type);
  }

  @Override
  public <T> T paramsAs(TypeReference<T> type) {
    try {
      return Json.mapper().readerFor(type).readValue(paramsNode());
    } catch (Exception e) {
      throw MethodBinding.invalid(
          "params cannot bind to " + type.getType() + ": " + e.getMessage());
    }
  }

  private JsonNode paramsNode() {
    return params instanceof Params.None ? Json.nodes().nullNode() : params.node();
  }

  private static <T> T bind(JsonNode value, String what, Class<T> type) {
    try {
      return Json.mapper().treeToValue(value, type);
    } catch (Exception e) {
      throw MethodBinding.invalid(what + " expects " + type.getSimpleName() + ", got " + value);
    }
  }

  @Override
  public RpcPeer peer() {
    return connection;
  }

  @Override
  public Optional<Instant> deadline() {
    return deadline;
  }

  @Override
  public Optional<Duration> remaining() {
    return deadline.map(
        d -> {
          Duration left = Duration.between(connection.config().clock().instant(), d);
          return left.isNegative() ? Duration.ZERO : left;
        });
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }
}
