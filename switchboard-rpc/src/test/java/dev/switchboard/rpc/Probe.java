package dev.switchboard.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Params;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The methods the specs call: those of the JSON-RPC 2.0 specification's examples, and some that let
 * a test watch what happens to a call on the callee's side. One instance per test.
 */
public final class Probe {

  /** Calls of {@link #block} and {@link #touch} started so far. */
  final AtomicInteger started = new AtomicInteger();

  /** Counted down when {@link #block} is interrupted. */
  final CountDownLatch interrupted = new CountDownLatch(1);

  /** Interrupted calls of {@link #block} that saw {@link RpcCall#isCancelled()}. */
  final AtomicInteger sawCancelled = new AtomicInteger();

  /** The params of every {@link #update} received, in order. */
  final BlockingQueue<List<JsonNode>> updates = new LinkedBlockingQueue<>();

  @RpcMethod(nonBlocking = true)
  public JsonNode echo(JsonNode value) {
    return value;
  }

  @RpcMethod(nonBlocking = true)
  public BigDecimal sum(BigDecimal... numbers) {
    BigDecimal total = BigDecimal.ZERO;
    for (BigDecimal n : numbers) {
      total = total.add(n);
    }
    return total;
  }

  @RpcMethod(nonBlocking = true)
  public BigDecimal subtract(BigDecimal minuend, BigDecimal subtrahend) {
    if (minuend == null || subtrahend == null) {
      throw new IllegalArgumentException("subtract needs both minuend and subtrahend");
    }
    return minuend.subtract(subtrahend);
  }

  @RpcMethod(value = "get_data", nonBlocking = true)
  public List<Object> getData() {
    return List.of("hello", 5);
  }

  /** Fails with an application error (-32000) carrying {@code message}. */
  @RpcMethod(nonBlocking = true)
  public Object fail(String message) {
    throw new IllegalStateException(message);
  }

  /** Fails with the error given: code, message and data. */
  @RpcMethod(value = "fail_with", nonBlocking = true)
  public Object failWith(int code, String message, JsonNode data) {
    throw new RpcException(code, message, data);
  }

  /** A notification sink; returns nothing ({@code "result": null}) when called. */
  @RpcMethod(nonBlocking = true)
  public void update(JsonNode... values) {
    updates.add(List.of(values));
  }

  @RpcMethod(value = "notify_hello", nonBlocking = true)
  public void notifyHello(JsonNode... values) {}

  @RpcMethod(value = "notify_sum", nonBlocking = true)
  public void notifySum(BigDecimal... values) {}

  /** Sleeps {@code ms} milliseconds (interruptible), returns {@code ms}. */
  @RpcMethod
  public long sleep(long ms) throws InterruptedException {
    Thread.sleep(Duration.ofMillis(ms));
    return ms;
  }

  /** Blocks until interrupted; counts the interruption. */
  @RpcMethod
  public String block(RpcCall call) {
    started.incrementAndGet();
    try {
      Thread.sleep(60_000);
      return "woke up";
    } catch (InterruptedException e) {
      if (call.isCancelled()) {
        sawCancelled.incrementAndGet();
      }
      interrupted.countDown();
      return "interrupted";
    }
  }

  /** Counts starts, returns at once. */
  @RpcMethod
  public int touch() {
    return started.incrementAndGet();
  }

  /** The callee's view of the caller's deadline: milliseconds left, or -1 without one. */
  @RpcMethod("remaining_ms")
  public long remainingMs(RpcCall call) {
    return call.remaining().map(Duration::toMillis).orElse(-1L);
  }

  /** A string of {@code n} characters, to make large answers. */
  @RpcMethod(nonBlocking = true)
  public String blob(int n) {
    return "x".repeat(n);
  }

  /** Calls {@code method} back on the caller with {@code params}, and answers with its answer. */
  @RpcMethod
  public JsonNode callback(String method, JsonNode params, RpcCall call) throws Exception {
    try {
      return call.peer().call(method, Params.from(params)).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
