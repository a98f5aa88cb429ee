package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcCall;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethod;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The methods a development server answers, used by the README and the tests. Includes the methods
 * of the JSON-RPC 2.0 specification's examples.
 */
public final class DemoService {

  private final AtomicLong notifications = new AtomicLong();

  @RpcMethod(description = "Returns its argument.", nonBlocking = true)
  public JsonNode echo(JsonNode value) {
    return value;
  }

  @RpcMethod(description = "Adds all its by-position arguments.", nonBlocking = true)
  public BigDecimal sum(BigDecimal... numbers) {
    BigDecimal total = BigDecimal.ZERO;
    for (BigDecimal n : numbers) {
      total = total.add(n);
    }
    return total;
  }

  @RpcMethod(description = "minuend - subtrahend, by position or by name.", nonBlocking = true)
  public BigDecimal subtract(BigDecimal minuend, BigDecimal subtrahend) {
    if (minuend == null || subtrahend == null) {
      throw new IllegalArgumentException("subtract needs both minuend and subtrahend");
    }
    return minuend.subtract(subtrahend);
  }

  @RpcMethod(value = "get_data", description = "Returns [\"hello\", 5].", nonBlocking = true)
  public List<Object> getData() {
    return List.of("hello", 5);
  }

  @RpcMethod(
      description =
          "Sleeps ms milliseconds (interruptible: cancel and deadlines stop it), returns ms.")
  public long sleep(long ms) throws InterruptedException {
    Thread.sleep(Duration.ofMillis(ms));
    return ms;
  }

  @RpcMethod(
      description = "Fails with an application error (-32000) carrying message.",
      nonBlocking = true)
  public Object fail(String message) {
    throw new IllegalStateException(message);
  }

  @RpcMethod(description = "Notification sink.", nonBlocking = true)
  public void update(JsonNode... values) {
    notifications.incrementAndGet();
  }

  @RpcMethod(value = "notify_hello", description = "Notification sink.", nonBlocking = true)
  public void notifyHello(JsonNode... values) {
    notifications.incrementAndGet();
  }

  @RpcMethod(value = "notify_sum", description = "Notification sink.", nonBlocking = true)
  public void notifySum(BigDecimal... values) {
    notifications.incrementAndGet();
  }

  @RpcMethod(
      description =
          "Calls method on the calling client with params and returns the client's answer.")
  public JsonNode callback(String method, JsonNode params, RpcCall call) throws Exception {
    if (method == null) {
      throw new IllegalArgumentException("callback needs the method to call back");
    }
    Params callParams;
    try {
      callParams = Params.from(params);
    } catch (IllegalArgumentException e) {
      throw new RpcException(ErrorObject.INVALID_PARAMS, "Invalid params: " + e.getMessage());
    }
    var future =
        call.remaining().isPresent()
            ? call.peer()
                .call(method, callParams, JsonNode.class, call.remaining().get().plusMillis(1))
            : call.peer().call(method, callParams);
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      future.cancel(true); // interrupted: tell the client to stop too
    }
  }

  /** Notifications received by the sinks since start. */
  public long notificationsReceived() {
    return notifications.get();
  }

  /**
   * {@code functions} and, for names they do not take, the demo functions a development node
   * provides in-process to {@code cluster.call}: {@code echo} (answers its params), {@code sum}
   * (adds the numbers of an array), {@code sleep} ({@code [ms]}: sleeps, interruptible, answers
   * ms). All idempotent; echo and sum run on the routing thread (non-blocking).
   */
  static Map<String, ServerConfig.InProcessFunction> clusterFunctions(
      Map<String, ServerConfig.InProcessFunction> functions) {
    Map<String, ServerConfig.InProcessFunction> all = new java.util.LinkedHashMap<>(functions);
    all.putIfAbsent("echo", new ServerConfig.InProcessFunction(params -> params, true, true));
    all.putIfAbsent(
        "sum",
        new ServerConfig.InProcessFunction(
            params -> {
              BigDecimal total = BigDecimal.ZERO;
              for (JsonNode n : params) {
                if (!n.isNumber()) {
                  throw new RpcException(
                      dev.switchboard.jsonrpc.ErrorObject.INVALID_PARAMS,
                      "sum adds numbers, got " + n);
                }
                total = total.add(n.decimalValue());
              }
              return total;
            },
            true,
            true));
    all.putIfAbsent(
        "sleep",
        new ServerConfig.InProcessFunction(
            params -> {
              long ms = params.path(0).asLong(params.path("ms").asLong());
              Thread.sleep(Duration.ofMillis(ms));
              return ms;
            },
            true,
            false));
    return all;
  }
}
