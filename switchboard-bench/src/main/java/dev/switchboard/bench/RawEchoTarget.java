package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The limit of the stack: the JDK HttpClient WebSocket (configured like Switchboard's client: listener callbacks
 * on virtual threads) against a Vert.x echo server in a child JVM ({@code BenchMain echo-server}). Each call sends
 * Switchboard's request frame as it is and waits for it to come back; there is no JSON-RPC on either side.
 *
 * <p>The JDK allows one send in progress at a time, so sends queue up and are written one after another, as
 * Switchboard's {@code JdkWebSocketTransport} does. The echo preserves order, so replies are matched to calls
 * first-in, first-out.
 */
final class RawEchoTarget implements EchoTarget, WebSocket.Listener {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final ChildJvm server;
  private final HttpClient http;
  private final String frame;
  /** Calls not yet handed to the socket, in call order. */
  private final Queue<CompletableFuture<String>> unsent = new ConcurrentLinkedQueue<>();
  /** Calls sent and awaiting their echo, in send order; appended only by the thread that holds {@link #writing}. */
  private final Queue<CompletableFuture<String>> awaitingEcho = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();
  /** Set once by {@link #start}, before the first call. */
  private volatile WebSocket socket;
  /** The first failure of the connection; every later call fails with it at once. */
  private volatile Throwable broken;
  /** Listener state: touched only by the (sequential) listener callbacks. */
  private final StringBuilder text = new StringBuilder();

  private RawEchoTarget(ChildJvm server, String frame) {
    this.server = server;
    this.frame = frame;
    this.http = HttpClient.newBuilder()
        .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("raw-echo-", 0).factory()))
        .build();
  }

  static RawEchoTarget start(Workload workload, List<String> serverJvmArgs) throws IOException, InterruptedException {
    ChildJvm server = ChildJvm.start("echo-server", "echo-server", serverJvmArgs);
    RawEchoTarget target = new RawEchoTarget(server, workload.requestFrame());
    try {
      URI uri = URI.create("ws://" + SwitchboardTarget.HOST + ":" + server.port() + "/");
      target.socket = target.http.newWebSocketBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .buildAsync(uri, target)
          .get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
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
    unsent.add(echo);
    drain();
    return echo;
  }

  @Override
  public String expectedReply() {
    return frame;
  }

  /** Sends queued calls one at a time; loops instead of recursing when a send completes at once. */
  private void drain() {
    while (writing.compareAndSet(false, true)) {
      CompletableFuture<String> next = unsent.poll();
      if (next == null) {
        writing.set(false);
        if (unsent.isEmpty()) {
          return;
        }
        continue;
      }
      awaitingEcho.add(next);
      CompletableFuture<WebSocket> sent = socket.sendText(frame, true);
      if (sent.isDone()) {
        afterSend(sent);
        continue;
      }
      sent.whenComplete((ws, error) -> {
        afterSend(sent);
        drain();
      });
      return;
    }
  }

  private void afterSend(CompletableFuture<WebSocket> sent) {
    writing.set(false);
    if (sent.state() == Future.State.FAILED) {
      fail(sent.exceptionNow());
    }
  }

  // ---- listener callbacks, one at a time

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      String message = text.toString();
      text.setLength(0);
      CompletableFuture<String> echo = awaitingEcho.poll();
      if (echo == null) {
        fail(new IllegalStateException("a message arrived that answers no call: " + message));
      } else {
        echo.complete(message);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    fail(new IllegalStateException("the echo server closed the connection: " + statusCode + " " + reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    fail(error);
  }

  /** Fails every call in progress and every later one. */
  private void fail(Throwable error) {
    if (broken == null) {
      broken = error;
    }
    for (CompletableFuture<String> f = awaitingEcho.poll(); f != null; f = awaitingEcho.poll()) {
      f.completeExceptionally(error);
    }
    for (CompletableFuture<String> f = unsent.poll(); f != null; f = unsent.poll()) {
      f.completeExceptionally(error);
    }
  }

  @Override
  public void close() {
    try {
      WebSocket ws = socket;
      if (ws != null) {
        if (!ws.isOutputClosed()) {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        ws.abort();
      }
      fail(new IllegalStateException("closed"));
      http.shutdownNow();
    } finally {
      server.close();
    }
  }

  @Override
  public String toString() {
    return "raw echo via " + server;
  }
}
