package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.TraceContext;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Watches the calls of a connection, both ways, for metrics and tracing: set one with {@link
 * RpcConfig.Builder#observer(RpcObserver)}. The rpc module knows no metrics or tracing library; the
 * server implements this with theirs. Default {@link #NONE}, which costs a call and no allocation.
 *
 * <p>What is observed: every request and notification from the peer once it has been decoded
 * ({@link #serving}), and every call, notification and batch element this side sends through {@link
 * RpcPeer} ({@link #calling}). What is not: the protocol's own housekeeping, either way: {@code
 * rpc.ping} (keepalive, sent by the library itself) and {@code rpc.cancel}; messages that are not
 * requests at all (a parse error, -32600 Invalid Request); answers. {@code rpc.discover} is an
 * ordinary call.
 *
 * <p>Method names: {@link #calling} gets the name as this side sends it. {@link #serving} gets the
 * name as sent only when this peer exposes that method ({@code rpc.discover} included); any other
 * name arrives as {@link #UNKNOWN_METHOD}, so that a metrics label or span name never takes
 * arbitrary strings the peer chose.
 *
 * <p>Outcomes: {@link Observation#ended} gets no code for success, or the JSON-RPC error code of
 * the answer: the one sent for calls served (a refusal included: -32601, -32001 busy, -32007,
 * -32008 rate limited...), the one received for calls made. When no answer exists, a code says why:
 * a call made that timed out ends with -32002 (the code the callee answers when the same deadline
 * passes, so both sides count it alike), one cancelled through its future with -32003, and those
 * that fail here without an answer with one of the local codes below ({@link #CONNECTION_CLOSED},
 * {@link #QUEUE_FULL}, {@link #PENDING_LIMIT}, {@link #UNSENDABLE}). Local codes are in
 * Switchboard's reserved range and never sent. A call made whose result does not bind to the Java
 * type asked for still ends ok: the peer answered it.
 *
 * <p>Thread-safety: methods are called from any thread, often the transport's I/O thread, and must
 * neither block nor throw. One that throws anyway is logged at debug and ignored: the call goes on
 * as if the observer had returned {@link Observation#NONE} (or, for {@code around}, as if it ran
 * the handler).
 */
public interface RpcObserver {

  /** Observes nothing. */
  RpcObserver NONE = NoObserver.INSTANCE;

  /** The method name {@link #serving} reports for a method this peer does not expose. */
  String UNKNOWN_METHOD = "(unknown)";

  /**
   * Local code: the connection closed (or was closed already) before the call was answered; for
   * calls served, the answer could not be sent because the connection closed.
   */
  int CONNECTION_CLOSED = -32090;

  /** Local code: the transport's outbound queue was full, nothing was sent. */
  int QUEUE_FULL = -32091;

  /** Local code: {@link RpcConfig#maxPendingCalls()} calls were pending already. */
  int PENDING_LIMIT = -32092;

  /**
   * Local code: the message could not be sent as built: over {@link RpcConfig#maxMessageBytes()},
   * or not encodable in the connection's encoding.
   */
  int UNSENDABLE = -32093;

  /**
   * A request or notification from the peer was decoded and is about to be answered or run: before
   * admission checks (so refusals are observed too), before its handler. Called on the thread that
   * read the message.
   *
   * @param method the method as sent, or {@link #UNKNOWN_METHOD}
   * @param incoming the caller's trace context, when it sent a valid one
   */
  Observation serving(String method, Optional<TraceContext> incoming);

  /**
   * This side is about to send a request or notification ({@link RpcPeer#call}, {@link
   * RpcPeer#notify}, an element of a {@link RpcPeer.Batch} when the batch is sent). Called on the
   * caller's thread, before the message is encoded: the observation's {@link
   * Observation#outgoing()} goes on the wire.
   */
  Observation calling(String method);

  /**
   * One observed call, from {@link #serving} or {@link #calling} to {@link #ended}. Its methods are
   * called from any thread, but never at once.
   */
  interface Observation {

    /** Observes nothing. */
    Observation NONE = NoObserver.NOTHING;

    /**
     * For calls made: the trace context the request or notification carries ({@code traceparent},
     * {@code tracestate}). Called once, before the message is encoded. Empty by default.
     */
    default Optional<TraceContext> outgoing() {
      return Optional.empty();
    }

    /**
     * For calls served: wraps the handler, to run it with this observation's context current (an
     * OpenTelemetry scope, a logging MDC). The returned runnable is run once, on the thread the
     * handler runs on, and must run {@code handler} on that thread; a handler that returns a {@code
     * CompletionStage} runs only its synchronous part inside. Calls refused before their handler
     * never get here. By default, the handler itself.
     */
    default Runnable around(Runnable handler) {
      return handler;
    }

    /**
     * The call ended; called exactly once per observation, whatever ended it (an answer, a refusal,
     * the deadline, a cancel, the connection closing) and whoever won a race between them. A call
     * served ends when its answer is handed to the transport; a notification served when its
     * handler returns; a call made when its answer arrives or it fails locally; a notification made
     * when it is handed to the transport.
     *
     * @param errorCode empty when the call succeeded, else the JSON-RPC error code of its answer or
     *     the code saying why there is none (see {@link RpcObserver})
     */
    void ended(OptionalInt errorCode);
  }
}
