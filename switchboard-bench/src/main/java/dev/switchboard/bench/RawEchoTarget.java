package dev.switchboard.bench;

import dev.switchboard.client.WebSocketTransports;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.Transport;
import dev.switchboard.rpc.TransportListener;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The limit of the stack: Switchboard's own WebSocket client transport (the one under {@code
 * SwitchboardClient}) against a Vert.x or Netty echo server in a child JVM ({@code BenchMain
 * echo-server}), with no JSON-RPC on either side. Each call sends Switchboard's request frame as it
 * is and waits for it to come back. The echo preserves order, so replies are matched to calls
 * first-in, first-out.
 */
final class RawEchoTarget implements EchoTarget, TransportListener {

  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final ChildJvm server;
  private final String frame;
  private final byte[] frameBytes;

  /**
   * Calls sent and awaiting their echo, in send order; appended together with the send, under this
   * lock.
   */
  private final Queue<CompletableFuture<String>> awaitingEcho = new ConcurrentLinkedQueue<>();

  private final Object sendLock = new Object();

  /** Set once by {@link #start}, before the first call. */
  private volatile Transport transport;

  /** The first failure of the connection; every later call fails with it at once. */
  private volatile Throwable broken;

  private RawEchoTarget(ChildJvm server, String frame) {
    this.server = server;
    this.frame = frame;
    this.frameBytes = frame.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Starts {@code system}'s echo server ({@link SystemId#RAW}, {@link SystemId#NETTY} or {@link
   * SystemId#NETTY_FLUSH_EACH}) and connects to it.
   */
  static RawEchoTarget start(SystemId system, Workload workload, List<String> serverJvmArgs)
      throws IOException, InterruptedException {
    ChildJvm server =
        ChildJvm.start(
            system.key() + "-echo-server", EchoServerCommand.command(system), serverJvmArgs);
    RawEchoTarget target = new RawEchoTarget(server, workload.requestFrame());
    try {
      URI uri = URI.create("ws://" + SwitchboardTarget.HOST + ":" + server.port() + "/");
      target.transport =
          WebSocketTransports.connect(uri, Map.of(), MAX_MESSAGE_BYTES, target)
              .get(15, TimeUnit.SECONDS);
      return target;
    } catch (Exception e) {
      target.close();
      throw new BenchmarkException("cannot connect to the echo server: " + e, e);
    }
  }

  @Override
  public CompletableFuture<String> call() {
    CompletableFuture<String> echo = new CompletableFuture<>();
    Throwable failure = broken;
    if (failure != null) {
      echo.completeExceptionally(failure);
      return echo;
    }
    synchronized (sendLock) {
      awaitingEcho.add(echo);
      if (!transport.send(Encoding.JSON, frameBytes)) {
        fail(new IllegalStateException("the send queue is full or the connection is closing"));
      }
    }
    return echo;
  }

  @Override
  public String expectedReply() {
    return frame;
  }

  // ---- transport callbacks, on its reading thread

  @Override
  public void receive(Encoding encoding, byte[] message) {
    CompletableFuture<String> echo = awaitingEcho.poll();
    String text = new String(message, StandardCharsets.UTF_8);
    if (echo == null) {
      fail(new IllegalStateException("a message arrived that answers no call: " + text));
    } else {
      echo.complete(text);
    }
  }

  @Override
  public void alive() {}

  @Override
  public void transportClosed(int code, String reason) {
    fail(new IllegalStateException("the echo connection closed: " + code + " " + reason));
  }

  @Override
  public void close(int code, String reason) {
    Transport t = transport;
    if (t != null) {
      t.close(code, reason);
    }
  }

  /** Fails every call in progress and every later one. */
  private void fail(Throwable error) {
    if (broken == null) {
      broken = error;
    }
    for (CompletableFuture<String> f = awaitingEcho.poll(); f != null; f = awaitingEcho.poll()) {
      f.completeExceptionally(error);
    }
  }

  @Override
  public void close() {
    try {
      close(1000, "");
      fail(new IllegalStateException("closed"));
    } finally {
      server.close();
    }
  }

  @Override
  public String toString() {
    return "raw echo via " + server;
  }
}
