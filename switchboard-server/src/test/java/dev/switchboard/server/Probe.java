package dev.switchboard.server;

import dev.switchboard.rpc.RpcMethod;
import java.util.concurrent.atomic.AtomicInteger;

/** Server methods that let tests hold a call open and make large answers. */
public final class Probe {

  final AtomicInteger started = new AtomicInteger();

  /** Counts its start, then blocks until interrupted. */
  @RpcMethod
  public String block() throws InterruptedException {
    started.incrementAndGet();
    Thread.sleep(60_000);
    return "woke up";
  }

  /** A string of n characters, to make large answers. */
  @RpcMethod
  public String blob(int n) {
    return "x".repeat(n);
  }
}
