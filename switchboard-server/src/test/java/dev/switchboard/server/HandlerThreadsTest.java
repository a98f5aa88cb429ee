package dev.switchboard.server;

import static dev.switchboard.server.TestServer.WAIT;
import static dev.switchboard.server.TestServer.answers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.testing.RawWebSocket;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where handlers run: a method that declares itself non-blocking on the event loop that read its
 * request (two thread hand-offs saved), every other one on a virtual thread of its own, so a
 * blocking handler never holds up the non-blocking calls of its connection, and a deadline never
 * interrupts an event loop.
 */
class HandlerThreadsTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean spunInterrupted = new AtomicBoolean();
  private TestServer server;

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
  }

  private void start() {
    server =
        TestServer.start(
            RpcMethods.builder()
                .nonBlockingMethod("where", call -> where())
                .method("where_blocking", call -> where())
                .method(
                    "wait_for_release",
                    call -> release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .nonBlockingMethod(
                    "spin",
                    call -> {
                      long until =
                          System.nanoTime()
                              + TimeUnit.MILLISECONDS.toNanos(call.param(0, Integer.class));
                      while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                      }
                      spunInterrupted.set(Thread.currentThread().isInterrupted());
                      return "done";
                    })
                .build(),
            RpcConfig.defaults());
  }

  private static Map<String, Object> where() {
    Thread thread = Thread.currentThread();
    return Map.of(
        "name",
        thread.getName(),
        "virtual",
        thread.isVirtual(),
        "interrupted",
        thread.isInterrupted());
  }

  private static String call(int id, String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\""
        + method
        + "\",\"params\":"
        + params
        + "}";
  }

  @Test
  void aNonBlockingMethodRunsOnTheEventLoopAndAnyOtherOnAVirtualThread() {
    start();
    try (RawWebSocket socket = server.raw()) {
      socket.sendText(call(1, "where", "[]")).sendText(call(2, "where_blocking", "[]"));
      Map<Integer, JsonNode> byId = answers(socket, 2);
      assertThat(byId.get(1).get("result").get("name").asText())
          .startsWith("vert.x-eventloop-thread-");
      assertThat(byId.get(1).get("result").get("virtual").asBoolean()).isFalse();
      assertThat(byId.get(2).get("result").get("virtual").asBoolean()).isTrue();
    }
  }

  @Test
  void aBlockedHandlerDoesNotHoldUpTheNonBlockingCallsOfItsConnection() {
    start();
    try (RawWebSocket socket = server.raw()) {
      socket.sendText(call(1, "wait_for_release", "[]"));
      for (int id = 2; id <= 11; id++) {
        socket.sendText(call(id, "where", "[]"));
      }
      Map<Integer, JsonNode> first = answers(socket, 10);
      assertThat(first.keySet())
          .as("answered while call 1 still blocks")
          .doesNotContain(1)
          .hasSize(10);
      release.countDown();
      assertThat(answers(socket, 1).get(1).get("result").asBoolean()).isTrue();
    }
  }

  @Test
  void aDeadlineAnswersALateNonBlockingCallButNeverInterruptsTheEventLoop() {
    start();
    try (RawWebSocket socket = server.raw()) {
      // 200 ms of work against a 20 ms deadline, then a call that reports its thread's interrupt
      // flag.
      socket.sendText(
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"spin\",\"params\":[200],\"timeout_ms\":20}");
      socket.sendText(call(2, "where", "[]"));
      Map<Integer, JsonNode> byId = answers(socket, 2);
      assertThat(byId.get(1).get("error").get("code").asInt())
          .isEqualTo(ErrorObject.DEADLINE_EXCEEDED);
      assertThat(spunInterrupted).as("the event loop, while the late call ran").isFalse();
      assertThat(byId.get(2).get("result").get("interrupted").asBoolean()).isFalse();
    }
  }
}
