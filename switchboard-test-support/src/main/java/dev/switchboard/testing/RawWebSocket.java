package dev.switchboard.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket client for tests that speak the wire protocol by hand: send any text or bytes,
 * read whole frames with a timeout, see how the server closed.
 */
public final class RawWebSocket implements AutoCloseable {

  /** A whole message received: text, or binary. */
  public sealed interface Frame permits Text, Binary {}

  public record Text(String text) implements Frame {}

  public record Binary(byte[] bytes) implements Frame {}

  /** The server's close frame, or 1006 when the connection broke. */
  public record Closed(int code, String reason) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket socket;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();

  private RawWebSocket(URI uri) throws Exception {
    Listener listener = new Listener();
    this.socket = HTTP.newWebSocketBuilder().buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
  }

  public static RawWebSocket connect(URI uri) {
    try {
      return new RawWebSocket(uri);
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to " + uri, e);
    }
  }

  public RawWebSocket sendText(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  public RawWebSocket sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    return this;
  }

  /** Sends one message as several frames (fragments) of text. */
  public RawWebSocket sendTextFragments(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      socket.sendText(parts[i], i == parts.length - 1).join();
    }
    return this;
  }

  /** The next whole message; fails the test when none comes within {@code timeout}. */
  public Frame next(Duration timeout) {
    try {
      Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("no message within " + timeout.toMillis() + " ms");
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public String nextText(Duration timeout) {
    Frame frame = next(timeout);
    if (frame instanceof Text text) {
      return text.text();
    }
    throw new AssertionError("expected a text frame, got " + frame);
  }

  public byte[] nextBinary(Duration timeout) {
    Frame frame = next(timeout);
    if (frame instanceof Binary binary) {
      return binary.bytes();
    }
    throw new AssertionError("expected a binary frame, got " + frame);
  }

  /** True when no message arrives within {@code quiet}. */
  public boolean nothingWithin(Duration quiet) {
    try {
      return frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public CompletableFuture<Closed> closed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.sendClose(1000, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        frames.add(new Text(text.toString()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      binary.writeBytes(bytes);
      if (last) {
        frames.add(new Binary(binary.toByteArray()));
        binary.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(new Closed(1006, String.valueOf(error.getMessage())));
    }
  }
}
