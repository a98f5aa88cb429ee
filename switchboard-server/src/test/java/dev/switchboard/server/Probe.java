package dev.switchboard.server;

import dev.switchboard.rpc.RpcCall;
import dev.switchboard.rpc.RpcMethod;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Server methods that let tests watch what happens to a call on the callee's side. */
public final class Probe {

  final AtomicInteger started = new AtomicInteger();
  final CountDownLatch interrupted = new CountDownLatch(1);
  final AtomicInteger sawCancelled = new AtomicInteger();

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

  /** The callee's view of the caller's deadline: milliseconds left, or -1 without one. */
  @RpcMethod("remaining_ms")
  public long remainingMs(RpcCall call) {
    return call.remaining().map(d -> d.toMillis()).orElse(-1L);
  }

  /** Counts starts, returns at once. */
  @RpcMethod
  public int touch() {
    return started.incrementAndGet();
  }

  /** The peer's calls running on this connection right now, this one included. */
  @RpcMethod("in_flight")
  public int inFlight(RpcCall call) {
    return call.peer().callsInFlight();
  }

  /** Our calls to the client awaiting an answer on this connection. */
  @RpcMethod("pending_to_client")
  public int pendingToClient(RpcCall call) {
    return call.peer().pendingCalls();
  }

  /** A string of n characters, to make large answers. */
  @RpcMethod
  public String blob(int n) {
    return "x".repeat(n);
  }
}
