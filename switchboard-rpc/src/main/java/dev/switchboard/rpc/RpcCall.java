package dev.switchboard.rpc;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.switchboard.jsonrpc.Id;
import dev.switchboard.jsonrpc.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The context of one incoming call, handed to handlers. Binding methods throw {@link RpcException}
 * with code -32602 (Invalid params) naming the param and what was wrong, which the peer sends back
 * as the answer.
 */
public interface RpcCall {

  String method();

  /** The request id; empty for a notification. */
  Optional<Id> id();

  Params params();

  /** The by-position param at {@code index}, bound to {@code type}. */
  <T> T param(int index, Class<T> type);

  /** The by-name param {@code name}, bound to {@code type}. */
  <T> T param(String name, Class<T> type);

  /** All params as one value: an object into a record or map, an array into a list or array. */
  <T> T paramsAs(Class<T> type);

  <T> T paramsAs(TypeReference<T> type);

  /** The connection the call came on: call the caller back through it. */
  RpcPeer peer();

  /** When the caller stops waiting, if it said ({@code timeout_ms}). */
  Optional<Instant> deadline();

  /** Time left until {@link #deadline()}, never negative. */
  Optional<Duration> remaining();

  /**
   * True once the caller cancelled, the deadline passed or the connection closed; the thread is
   * interrupted too.
   */
  boolean isCancelled();
}
