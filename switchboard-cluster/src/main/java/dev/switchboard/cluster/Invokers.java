package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.CallTimeoutException;
import dev.switchboard.rpc.ConnectionClosedException;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcPeer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The two ways a provider runs a call: in-process ({@link #inProcess}) or as a JSON-RPC request to
 * a connected client or another node ({@link #overPeer}). Either way failures come out as {@link
 * CommandException}s carrying the JSON-RPC error the caller will see.
 */
public final class Invokers {

  private Invokers() {}

  /** Runs one call of a function on a provider. */
  @FunctionalInterface
  public interface Invoker {

    /**
     * Starts the call; must not block.
     *
     * @param function the function's name
     * @param params its params (an array or an object)
     * @param timeout how long the caller still waits
     */
    CommandRunner.Running invoke(String function, JsonNode params, Duration timeout);
  }

  /**
   * Runs {@code function} on a thread of {@code executor} (give it virtual threads: the function
   * may block); cancelling interrupts that thread.
   */
  public static Invoker inProcess(ClusterFunction function, Executor executor) {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(executor, "executor");
    return (name, params, timeout) -> {
      CompletableFuture<JsonNode> result = new CompletableFuture<>();
      AtomicReference<Thread> running = new AtomicReference<>();
      executor.execute(
          () -> {
            if (result.isDone()) {
              return;
            }
            running.set(Thread.currentThread());
            try {
              apply(function, params, result);
            } finally {
              running.set(null);
            }
          });
      return CommandRunner.Running.of(
          result,
          () -> {
            Thread thread = running.get();
            if (thread != null) {
              thread.interrupt();
            }
            result.completeExceptionally(
                new CommandException(
                    CommandError.of(CommandError.CANCELLED, "cancelled: " + name)));
          });
    };
  }

  /**
   * Runs {@code function} on the thread that starts the command (an event loop, a node link's
   * reader): for functions that neither block nor run long. Cancelling only stops waiting.
   */
  public static Invoker direct(ClusterFunction function) {
    Objects.requireNonNull(function, "function");
    return (name, params, timeout) -> {
      CompletableFuture<JsonNode> result = new CompletableFuture<>();
      apply(function, params, result);
      return CommandRunner.Running.of(
          result,
          () ->
              result.completeExceptionally(
                  new CommandException(
                      CommandError.of(CommandError.CANCELLED, "cancelled: " + name))));
    };
  }

  /** Runs {@code function} here and settles {@code result} with what it gives or throws. */
  private static void apply(
      ClusterFunction function, JsonNode params, CompletableFuture<JsonNode> result) {
    try {
      Object out = function.apply(params);
      if (out instanceof CompletionStage<?> async) {
        async.whenComplete((value, failure) -> settle(result, Json.toNode(value), failure));
      } else {
        result.complete(Json.toNode(out));
      }
    } catch (Throwable e) {
      settle(result, null, e);
    }
  }

  /**
   * Sends each call as a JSON-RPC request over {@code peer} (a provider's connection, or a node
   * link); cancelling sends {@code rpc.cancel}.
   */
  public static Invoker overPeer(RpcPeer peer) {
    Objects.requireNonNull(peer, "peer");
    return (function, params, timeout) -> call(peer, function, params, timeout);
  }

  /** One call over {@code peer}, its failures turned into {@link CommandException}s. */
  static CommandRunner.Running call(
      RpcPeer peer, String method, JsonNode params, Duration timeout) {
    CompletableFuture<JsonNode> call;
    try {
      call = peer.call(method, Params.from(params), JsonNode.class, timeout);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<JsonNode> sent = call;
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    sent.whenComplete((value, failure) -> settle(result, value, failure));
    return CommandRunner.Running.of(result, () -> sent.cancel(true));
  }

  private static void settle(
      CompletableFuture<JsonNode> result, JsonNode value, Throwable failure) {
    if (failure == null) {
      result.complete(value);
    } else {
      result.completeExceptionally(new CommandException(errorOf(failure)));
    }
  }

  /** The JSON-RPC error a call's (or a running command's) failure stands for. */
  public static CommandError errorOf(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return switch (cause) {
      case CommandException e -> e.error();
      case RpcException e -> new CommandError(e.code(), e.error().message(), e.error().data());
      case CallTimeoutException e ->
          CommandError.of(CommandError.DEADLINE_EXCEEDED, e.getMessage());
      case ConnectionClosedException e ->
          CommandError.of(
              CommandError.PROVIDER_GONE,
              "the provider went away before it answered: its " + e.getMessage());
      case CancellationException e -> CommandError.of(CommandError.CANCELLED, "cancelled");
      case InterruptedException e -> CommandError.of(CommandError.CANCELLED, "cancelled");
      default ->
          CommandError.of(
              CommandError.APPLICATION_ERROR,
              cause.getMessage() == null ? cause.toString() : cause.getMessage());
    };
  }
}
