package dev.switchboard.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One connection to a system under test, ready for calls. {@link #call()} must not block and may be
 * called from any thread, including the thread that completes an earlier call's future.
 */
interface EchoTarget extends AutoCloseable {

  /** Starts one round trip; the future completes with the reply the system sent back. */
  CompletableFuture<String> call();

  /** What every reply must equal. */
  String expectedReply();

  /** Closes the connection and stops whatever was started for it (child processes included). */
  @Override
  void close();
}
