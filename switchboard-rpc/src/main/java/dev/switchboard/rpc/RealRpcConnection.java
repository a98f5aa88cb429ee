package dev.switchboard.rpc;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Codec;
import dev.switchboard.jsonrpc.Decoded;
import dev.switchboard.jsonrpc.Discarded;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Entry;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Id;
import dev.switchboard.jsonrpc.Invalid;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Notification;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.jsonrpc.Request;
import dev.switchboard.jsonrpc.Response;
import dev.switchboard.jsonrpc.TraceContext;
import dev.switchboard.resilience.AdaptiveLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC peer. Incoming messages arrive on the transport's thread, one at a time, and are decoded
 * and routed there; handlers run on the handler executor; answers and our calls go straight to the
 * transport, which never blocks. All state is in concurrent maps and atomics, so any thread may
 * call any method.
 */
final class RealRpcConnection implements RpcConnection {

  private static final Logger log = LoggerFactory.getLogger(RpcConnection.class);

  /**
   * What an overloaded answer (-32007) tells the caller to wait: the limiter cannot know when a
   * slot frees.
   */
  static final long OVERLOAD_RETRY_MILLIS = 1000;

  /**
   * Jackson's type for each result class, built once: constructing it showed in profiles of every
   * call.
   */
  private static final ClassValue<JavaType> JAVA_TYPES =
      new ClassValue<>() {
        @Override
        protected JavaType computeValue(Class<?> type) {
          return Json.mapper().getTypeFactory().constructType(type);
        }
      };

  private final Transport transport;
  private final RpcMethods methods;
  private final RpcConfig config;
  private final Codec codec;
  private final RpcObserver observer;
  private final AtomicLong nextId = new AtomicLong();

  /** Our calls awaiting an answer, by id. */
  private final ConcurrentHashMap<Id, PendingCall<?>> pending = new ConcurrentHashMap<>();

  /** The peer's calls running here: by id for requests with one, by the call itself otherwise. */
  private final ConcurrentHashMap<Object, RunningCall> running = new ConcurrentHashMap<>();

  private final AtomicInteger inFlight = new AtomicInteger();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final Liveness liveness;
  private final Answers answers;
  private final MessageGate gate;
  private final BiConsumer<Entry, Consumer<Response>> dispatch = this::dispatch;

  RealRpcConnection(Transport transport, RpcMethods methods, RpcConfig config) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.methods = Objects.requireNonNull(methods, "methods");
    this.config = Objects.requireNonNull(config, "config");
    this.codec = Codec.of(config.encoding());
    this.observer = config.observer();
    this.answers = new Answers(this);
    this.liveness = new Liveness(this);
    this.gate = MessageGate.of(config);
    liveness.start();
  }

  // ---- calling the peer

  @Override
  public <T> CompletableFuture<T> call(String method, Params params, Class<T> resultType) {
    return call(method, params, resultType, config.callTimeout());
  }

  @Override
  public <T> CompletableFuture<T> call(
      String method, Params params, Class<T> resultType, Duration timeout) {
    Objects.requireNonNull(resultType, "resultType");
    PendingCall<T> call = newCall(method, params, resultType, timeout, false);
    if (observer != RpcObserver.NONE) {
      return callObserved(call, params);
    }
    // Unobserved, the path stays as small as it was: the JIT's inlining and escape analysis of
    // the hottest call path are sensitive to its size.
    Request request = request(call, params, Optional.empty());
    if (register(List.of(call)).isEmpty()) {
      send(List.of(call), codec.encode(request));
    }
    return call.future;
  }

  /** A call observed from before its encoding, which carries the observation's trace context. */
  private <T> CompletableFuture<T> callObserved(PendingCall<T> call, Params params) {
    Optional<TraceContext> traceContext = call.observe(Observations.calling(observer, call.method));
    byte[] bytes;
    try {
      bytes = codec.encode(request(call, params, traceContext));
    } catch (RuntimeException e) {
      call.refuse(e);
      throw e;
    }
    List<PendingCall<T>> calls = List.of(call);
    if (register(calls).isEmpty()) {
      send(calls, bytes);
    }
    return call.future;
  }

  /** A keepalive ping: outside the pending limit and the idle clock. */
  CompletableFuture<JsonNode> ping(Duration timeout) {
    PendingCall<JsonNode> call = newCall("rpc.ping", Params.none(), JsonNode.class, timeout, true);
    if (register(List.of(call)).isEmpty()) {
      send(List.of(call), codec.encode(request(call, Params.none(), Optional.empty())));
    }
    return call.future;
  }

  @Override
  public boolean notify(String method, Params params) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
    if (observer == RpcObserver.NONE) {
      if (!isOpen()) {
        return false;
      }
      byte[] bytes = codec.encode(new Notification(method, params));
      checkSize(method, bytes.length);
      return sendNotifications(bytes).isEmpty();
    }
    RpcObserver.Observation observation = Observations.calling(observer, method);
    if (!isOpen()) {
      Observations.ended(observation, Observations.CONNECTION_CLOSED);
      return false;
    }
    byte[] bytes;
    try {
      bytes = codec.encode(new Notification(method, params, Observations.outgoing(observation)));
      checkSize(method, bytes.length);
    } catch (RuntimeException e) {
      Observations.ended(observation, Observations.UNSENDABLE);
      throw e;
    }
    OptionalInt refusal = sendNotifications(bytes);
    Observations.ended(observation, refusal);
    return refusal.isEmpty();
  }

  @Override
  public Batch batch() {
    return new RealBatch(this);
  }

  <T> PendingCall<T> newCall(
      String method, Params params, Class<T> resultType, Duration timeout, boolean internal) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    RpcFuture<T> future = new RpcFuture<>(config.handlerExecutor());
    Id id = Id.of(nextId.incrementAndGet());
    PendingCall<T> call =
        new PendingCall<>(id, method, timeout, JAVA_TYPES.get(resultType), future, internal);
    future.onCancel(
        () -> {
          if (pending.remove(id, call)) {
            call.cancelled();
            notifyCancel(id);
          }
        });
    return call;
  }

  Request request(PendingCall<?> call, Params params, Optional<TraceContext> traceContext) {
    return new Request(
        call.id, call.method, params, OptionalLong.of(call.timeout.toMillis()), traceContext);
  }

  /**
   * Registers calls as pending, all or none. Fails them when the connection is closed or the
   * pending limit would be passed, and returns the local code of {@link RpcObserver} saying which;
   * empty when they were registered.
   */
  OptionalInt register(List<? extends PendingCall<?>> calls) {
    if (!isOpen()) {
      calls.forEach(c -> c.refuse(closedException()));
      return Observations.CONNECTION_CLOSED;
    }
    long userCalls = calls.stream().filter(c -> !c.internal).count();
    if (userCalls > 0 && pending.size() + userCalls > config.maxPendingCalls()) {
      calls.forEach(c -> c.refuse(new PendingCallsLimitException(config.maxPendingCalls())));
      return Observations.PENDING_LIMIT;
    }
    for (PendingCall<?> call : calls) {
      pending.put(call.id, call);
    }
    if (!isOpen()) { // closed meanwhile: the close may have missed these entries
      calls.forEach(
          c -> {
            if (pending.remove(c.id, c)) {
              c.fail(closedException());
            }
          });
      return Observations.CONNECTION_CLOSED;
    }
    for (PendingCall<?> call : calls) {
      call.timer(
          config
              .scheduler()
              .schedule(() -> timeOut(call), call.timeout.toNanos(), TimeUnit.NANOSECONDS));
    }
    return Observations.OK;
  }

  /**
   * Sends the encoded calls, or fails them when the message is over the size limit or the transport
   * refuses it. Returns the local code of {@link RpcObserver} saying why it was not sent; empty
   * when it was handed to the transport.
   */
  OptionalInt send(List<? extends PendingCall<?>> calls, byte[] bytes) {
    if (bytes.length > config.maxMessageBytes()) {
      IllegalArgumentException tooBig =
          new IllegalArgumentException(
              "the call to '"
                  + calls.getFirst().method
                  + "' is "
                  + bytes.length
                  + " bytes; the limit is "
                  + config.maxMessageBytes()
                  + " (RpcConfig.maxMessageBytes)");
      calls.forEach(
          c -> {
            if (pending.remove(c.id, c)) {
              c.fail(tooBig);
            }
          });
      return Observations.UNSENDABLE;
    }
    if (calls.stream().anyMatch(c -> !c.internal)) {
      liveness.touch();
    }
    if (transport.send(codec.encoding(), bytes)) {
      return Observations.OK;
    }
    boolean open = isOpen();
    RuntimeException refused =
        open ? new OutboundQueueFullException(transport.describe()) : closedException();
    calls.forEach(
        c -> {
          if (pending.remove(c.id, c)) {
            c.fail(refused);
          }
        });
    return open ? Observations.QUEUE_FULL : Observations.CONNECTION_CLOSED;
  }

  /**
   * Hands notifications to the transport. Returns the local code of {@link RpcObserver} saying why
   * they were not sent; empty when they were.
   */
  OptionalInt sendNotifications(byte[] bytes) {
    if (!isOpen()) {
      return Observations.CONNECTION_CLOSED;
    }
    liveness.touch();
    if (transport.send(codec.encoding(), bytes)) {
      return Observations.OK;
    }
    return isOpen() ? Observations.QUEUE_FULL : Observations.CONNECTION_CLOSED;
  }

  void checkSize(String method, int length) {
    if (length > config.maxMessageBytes()) {
      throw new IllegalArgumentException(
          "the message to '"
              + method
              + "' is "
              + length
              + " bytes; the limit is "
              + config.maxMessageBytes()
              + " (RpcConfig.maxMessageBytes)");
    }
  }

  Codec codec() {
    return codec;
  }

  private void timeOut(PendingCall<?> call) {
    if (pending.remove(call.id, call)) {
      call.fail(new CallTimeoutException(call.method, call.timeout));
      notifyCancel(call.id);
    }
  }

  private void notifyCancel(Id id) {
    if (isOpen()) {
      // Our own ids are always integers.
      Params params = Params.named(Map.of("id", ((Id.Int) id).value()));
      transport.send(codec.encoding(), codec.encode(new Notification("rpc.cancel", params)));
    }
  }

  // ---- receiving

  @Override
  public void alive() {
    liveness.heard();
  }

  @Override
  public void receive(Encoding encoding, byte[] message) {
    if (!isOpen()) {
      return;
    }
    liveness.heard();
    Codec replyCodec = Codec.of(encoding);
    Decoded decoded = replyCodec.decode(message);
    MessageGate.Verdict verdict =
        gate == MessageGate.UNLIMITED || onlyAnswers(decoded) ? MessageGate.ADMIT : gate.check();
    switch (verdict) {
      case MessageGate.Admit admit -> route(decoded, replyCodec, dispatch);
      case MessageGate.Refuse refuse -> {
        long millis = refuse.retryAfterMillis();
        ErrorObject error =
            ErrorObject.of(
                ErrorObject.RATE_LIMITED,
                "rate limited: this connection sends messages too fast; retry after "
                    + millis
                    + " ms",
                retryAfter(millis));
        log.debug("{}: message refused: over the message rate", transport.describe());
        if (!(decoded instanceof Decoded.Unparsable)) {
          route(decoded, replyCodec, (entry, reply) -> refuse(entry, reply, error));
        }
      }
      case MessageGate.Disconnect disconnect -> {
        log.warn("{}: closing with 1008: {}", transport.describe(), disconnect.reason());
        close(CloseReason.POLICY_VIOLATION, disconnect.reason());
      }
    }
  }

  /** Hands each entry of {@code decoded} to {@code handle}, collecting the replies of a batch. */
  private void route(
      Decoded decoded, Codec replyCodec, BiConsumer<Entry, Consumer<Response>> handle) {
    switch (decoded) {
      case Decoded.Unparsable unparsable -> {
        log.debug("{}: unparsable message: {}", transport.describe(), unparsable.reason());
        answers.send(
            replyCodec,
            Response.failure(Id.nullId(), ErrorObject.of(ErrorObject.PARSE_ERROR, "Parse error")));
      }
      case Decoded.Single single ->
          handle.accept(single.entry(), response -> answers.send(replyCodec, response));
      case Decoded.Batch batch -> {
        if (batch.entries().size() > config.maxBatchSize()) {
          answers.send(
              replyCodec,
              Response.failure(
                  Id.nullId(),
                  ErrorObject.of(
                      ErrorObject.INVALID_REQUEST,
                      "Invalid Request: a batch of "
                          + batch.entries().size()
                          + " exceeds the limit of "
                          + config.maxBatchSize())));
          return;
        }
        BatchReply reply =
            new BatchReply(
                batch.entries().size(), responses -> answers.sendBatch(replyCodec, responses));
        for (Entry entry : batch.entries()) {
          handle.accept(entry, reply);
        }
      }
    }
  }

  /**
   * Answers to our own calls are never limited: refusing them would fail our calls, not slow the
   * peer.
   */
  private static boolean onlyAnswers(Decoded decoded) {
    return switch (decoded) {
      case Decoded.Single single -> single.entry() instanceof Response;
      case Decoded.Batch batch -> batch.entries().stream().allMatch(Response.class::isInstance);
      case Decoded.Unparsable unparsable -> false;
    };
  }

  /**
   * A message over the rate: its requests are answered with {@code error}, its notifications
   * dropped.
   */
  private void refuse(Entry entry, Consumer<Response> reply, ErrorObject error) {
    switch (entry) {
      case Request request -> {
        RpcObserver.Observation observation =
            serving(request.method(), exposes(request.method(), true), request.traceContext());
        reply.accept(Response.failure(request.id(), error));
        Observations.failed(observation, error);
      }
      case Notification notification -> {
        RpcObserver.Observation observation =
            serving(
                notification.method(),
                exposes(notification.method(), false),
                notification.traceContext());
        reply.accept(null);
        Observations.failed(observation, error);
      }
      default -> dispatch(entry, reply);
    }
  }

  /**
   * The observation of a call from the peer, under {@link RpcObserver#UNKNOWN_METHOD} when this
   * peer does not expose {@code method}. The protocol's housekeeping is not observed.
   */
  private RpcObserver.Observation serving(
      String method, boolean exposed, Optional<TraceContext> incoming) {
    if (observer == RpcObserver.NONE || method.equals("rpc.ping") || method.equals("rpc.cancel")) {
      return RpcObserver.Observation.NONE;
    }
    return Observations.serving(observer, exposed ? method : RpcObserver.UNKNOWN_METHOD, incoming);
  }

  /** Whether a call of {@code method} reaches a handler (or rpc.discover, for a request). */
  private boolean exposes(String method, boolean request) {
    if (method.startsWith("rpc.")) {
      return request && method.equals("rpc.discover");
    }
    return methods.find(method).isPresent();
  }

  static JsonNode retryAfter(long millis) {
    return Json.nodes().objectNode().put("retry_after_ms", millis);
  }

  /** Routes one entry; {@code reply} gets exactly one call: an answer, or null for "no answer". */
  private void dispatch(Entry entry, Consumer<Response> reply) {
    switch (entry) {
      case Request request -> {
        liveness.touchUnless(request.method().equals("rpc.ping"));
        start(request, reply);
      }
      case Notification notification -> {
        reply.accept(null);
        liveness.touch();
        onNotification(notification);
      }
      case Response response -> {
        reply.accept(null);
        PendingCall<?> call = pending.remove(response.id());
        if (call == null) {
          log.debug(
              "{}: answer to unknown or expired call {}", transport.describe(), response.id());
          return;
        }
        liveness.touchUnless(call.internal);
        call.answer(response);
      }
      case Invalid invalid -> reply.accept(Response.failure(invalid.id(), invalid.error()));
      case Discarded discarded -> {
        reply.accept(null);
        log.debug(
            "{}: discarded a malformed response: {}", transport.describe(), discarded.reason());
      }
    }
  }

  private void start(Request request, Consumer<Response> reply) {
    Id id = request.id();
    if (request.method().equals("rpc.ping")) {
      reply.accept(Response.success(id, Json.nodes().textNode("pong")));
      return;
    }
    if (request.method().equals("rpc.discover")) {
      RpcObserver.Observation observation = serving(request.method(), true, request.traceContext());
      reply.accept(Response.success(id, methods.openRpcDocument()));
      Observations.ended(observation, Observations.OK);
      return;
    }
    Optional<RpcMethods.Invocable> invocable =
        request.method().startsWith("rpc.") ? Optional.empty() : methods.find(request.method());
    RpcObserver.Observation observation =
        serving(request.method(), invocable.isPresent(), request.traceContext());
    if (invocable.isEmpty()) {
      reply.accept(
          failure(id, ErrorObject.METHOD_NOT_FOUND, "Method not found: " + request.method()));
      Observations.failed(observation, ErrorObject.METHOD_NOT_FOUND);
      return;
    }
    Optional<Instant> deadline =
        request.timeoutMillis().stream()
            .mapToObj(ms -> config.clock().instant().plusMillis(ms))
            .findFirst();
    RunningCall call =
        new RunningCall(
            this,
            Optional.of(id),
            request.method(),
            request.params(),
            invocable.get(),
            deadline,
            reply,
            observation);
    Object key = id instanceof Id.Null ? call : id;
    if (running.putIfAbsent(key, call) != null) {
      call.refuse(
          ErrorObject.of(
              ErrorObject.DUPLICATE_ID, "a request with id " + id + " is still in flight"));
      return;
    }
    Optional<ErrorObject> refused = admit(call, key);
    if (refused.isPresent()) {
      call.refuse(refused.get());
      return;
    }
    if (request.timeoutMillis().isPresent()) {
      long ms = request.timeoutMillis().getAsLong();
      if (ms == 0) {
        call.cancel(
            ErrorObject.DEADLINE_EXCEEDED,
            "deadline exceeded before '" + request.method() + "' started");
        return;
      }
      call.deadlineTimer(
          config
              .scheduler()
              .schedule(
                  () ->
                      call.cancel(
                          ErrorObject.DEADLINE_EXCEEDED, "deadline of " + ms + " ms exceeded"),
                  ms,
                  TimeUnit.MILLISECONDS));
    }
    execute(call);
  }

  private void onNotification(Notification notification) {
    if (notification.method().equals("rpc.cancel")) {
      cancelRunning(notification.params());
      return;
    }
    Optional<RpcMethods.Invocable> invocable =
        notification.method().startsWith("rpc.")
            ? Optional.empty()
            : methods.find(notification.method());
    RpcObserver.Observation observation =
        serving(notification.method(), invocable.isPresent(), notification.traceContext());
    if (invocable.isEmpty()) {
      log.debug(
          "{}: notification for unknown method '{}' ignored",
          transport.describe(),
          notification.method());
      Observations.failed(observation, ErrorObject.METHOD_NOT_FOUND);
      return;
    }
    RunningCall call =
        new RunningCall(
            this,
            Optional.empty(),
            notification.method(),
            notification.params(),
            invocable.get(),
            Optional.empty(),
            response -> {},
            observation);
    running.put(call, call);
    Optional<ErrorObject> refused = admit(call, call);
    if (refused.isPresent()) {
      log.warn(
          "{}: notification '{}' dropped: {}",
          transport.describe(),
          notification.method(),
          refused.get().message());
      call.refuse(refused.get());
      return;
    }
    execute(call);
  }

  /**
   * Takes a slot on this connection and a permit of the shared {@link RpcConfig#handlerLimiter()};
   * empty when both were taken, else the error to answer (busy or overloaded) with the slot freed
   * again. A connection that closed meanwhile abandons the call (answered by nobody).
   */
  private Optional<ErrorObject> admit(RunningCall call, Object key) {
    if (inFlight.incrementAndGet() > config.maxInFlightCalls()) {
      inFlight.decrementAndGet();
      running.remove(key, call);
      return Optional.of(
          ErrorObject.of(
              ErrorObject.BUSY,
              "busy: "
                  + config.maxInFlightCalls()
                  + " calls are in flight on this connection (the limit)"));
    }
    if (config.handlerLimiter().isPresent()) {
      AdaptiveLimiter limiter = config.handlerLimiter().get();
      Optional<AdaptiveLimiter.Permit> permit = limiter.tryAcquire();
      if (permit.isEmpty()) {
        inFlight.decrementAndGet();
        running.remove(key, call);
        return Optional.of(
            ErrorObject.of(
                ErrorObject.OVERLOADED,
                "overloaded: "
                    + limiter.limit()
                    + " calls are running on this server (its current limit); retry after "
                    + OVERLOAD_RETRY_MILLIS
                    + " ms",
                retryAfter(OVERLOAD_RETRY_MILLIS)));
      }
      call.permit(permit.get());
    }
    if (!isOpen()) {
      call.abandon();
      return Optional.of(ErrorObject.of(ErrorObject.SHUTTING_DOWN, "the connection is closed"));
    }
    return Optional.empty();
  }

  private void execute(RunningCall call) {
    if (call.runsInline()) {
      call.run();
      return;
    }
    try {
      config.handlerExecutor().execute(call);
    } catch (RejectedExecutionException e) {
      call.cancel(
          ErrorObject.SHUTTING_DOWN, "not accepting calls: the handler executor is shut down");
    }
  }

  private void cancelRunning(Params params) {
    JsonNode idNode =
        switch (params) {
          case Params.ByName byName -> byName.values().get("id");
          case Params.ByPosition byPosition -> byPosition.values().get(0);
          case Params.None none -> null;
        };
    Id id;
    if (idNode != null && idNode.isTextual()) {
      id = Id.of(idNode.textValue());
    } else if (idNode != null && idNode.isIntegralNumber() && idNode.canConvertToLong()) {
      id = Id.of(idNode.longValue());
    } else {
      log.debug("{}: rpc.cancel without a usable id: {}", transport.describe(), params.node());
      return;
    }
    RunningCall call = running.get(id);
    if (call != null) {
      call.cancel(ErrorObject.CANCELLED, "cancelled by the caller");
    }
  }

  /** Called once by every finished call, from any thread. */
  void release(RunningCall call) {
    Object key =
        call.id().filter(id -> !(id instanceof Id.Null)).map(Object.class::cast).orElse(call);
    if (running.remove(key, call)) {
      inFlight.decrementAndGet();
    }
  }

  static Response failure(Id id, int code, String message) {
    return Response.failure(id, ErrorObject.of(code, message));
  }

  // ---- lifecycle

  @Override
  public boolean isOpen() {
    return !closed.isDone();
  }

  @Override
  public CompletableFuture<CloseReason> closeFuture() {
    return closed.copy();
  }

  @Override
  public void close() {
    close(CloseReason.NORMAL, "");
  }

  @Override
  public void close(int code, String reason) {
    // Here first: the transport may report its end from its own thread at once, and whichever
    // closes first fails the pending calls; the caller of close() is promised they failed on
    // return.
    closeHere(code, reason);
    transport.close(code, reason);
  }

  @Override
  public void transportClosed(int code, String reason) {
    closeHere(code, reason);
  }

  private void closeHere(int code, String reason) {
    if (!closed.complete(new CloseReason(code, reason))) {
      return;
    }
    liveness.stop();
    ConnectionClosedException failure = new ConnectionClosedException(code, reason);
    pending.forEach(
        (id, call) -> {
          if (pending.remove(id, call)) {
            call.fail(failure);
          }
        });
    running.values().forEach(RunningCall::abandon);
    log.debug("{}: closed ({} {})", transport.describe(), code, reason);
  }

  private ConnectionClosedException closedException() {
    CloseReason reason = closed.getNow(new CloseReason(CloseReason.CONNECTION_LOST, ""));
    return new ConnectionClosedException(reason.code(), reason.reason());
  }

  @Override
  public int pendingCalls() {
    return pending.size();
  }

  @Override
  public int callsInFlight() {
    return inFlight.get();
  }

  @Override
  public RpcConfig config() {
    return config;
  }

  String describe() {
    return transport.describe();
  }

  Transport transport() {
    return transport;
  }

  @Override
  public String toString() {
    return "RpcConnection{" + transport.describe() + (isOpen() ? "" : ", closed") + "}";
  }
}
