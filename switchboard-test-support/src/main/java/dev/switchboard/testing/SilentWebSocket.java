package dev.switchboard.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket peer that opens the connection and then answers nothing, not even a ping: a dead or
 * frozen client, as keepalive must detect it. Plain TCP and a hand-written handshake, since every
 * WebSocket library answers pings by itself.
 */
public final class SilentWebSocket implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final java.util.List<String> responseHeaders = new java.util.ArrayList<>();

  private SilentWebSocket(URI uri, java.util.List<String> extraHeaders) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(
        4096); // a small window: what the server sends piles up on its side quickly
    socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request =
        "GET "
            + uri.getRawPath()
            + " HTTP/1.1\r\n"
            + "Host: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + extraHeaders.stream()
                .map(h -> h + "\r\n")
                .collect(java.util.stream.Collectors.joining())
            + "\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new DataInputStream(socket.getInputStream());
    String status = readLine();
    if (!status.contains(" 101 ")) {
      throw new IOException("handshake refused: " + status);
    }
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      responseHeaders.add(header);
    }
  }

  public static SilentWebSocket connect(URI uri) {
    return connect(uri, java.util.List.of());
  }

  /**
   * Connects with more handshake headers ({@code "Sec-WebSocket-Extensions: permessage-deflate"},
   * say).
   *
   * @throws IllegalStateException when the upgrade is refused, with the status line
   */
  public static SilentWebSocket connect(URI uri, java.util.List<String> extraHeaders) {
    try {
      return new SilentWebSocket(uri, extraHeaders);
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to " + uri, e);
    }
  }

  /** The headers of the server's 101 answer, as {@code "Name: value"} lines. */
  public java.util.List<String> responseHeaders() {
    return java.util.List.copyOf(responseHeaders);
  }

  /** The local side's socket, for tests that look at it (its state, its buffers). */
  public Socket socket() {
    return socket;
  }

  /** Sends one text message (a masked frame, as a client must), but still reads nothing. */
  public void sendText(String text) throws IOException {
    sendTextBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends bytes as a text frame as they are, valid UTF-8 or not (WebSocket libraries refuse to).
   */
  public void sendTextBytes(byte[] payload) throws IOException {
    sendFrame(0x81, payload); // FIN, text
  }

  /** Sends a ping with {@code payload} (at most 125 bytes). */
  public void sendPing(byte[] payload) throws IOException {
    sendFrame(0x89, payload);
  }

  /**
   * Sends a close frame with {@code code} and no reason, whatever the code (RFC 6455 allows only
   * some).
   */
  public void sendClose(int code) throws IOException {
    sendFrame(0x88, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  /**
   * Sends one masked frame whose first byte (FIN, RSV1-3, opcode) is {@code head}, as it is: RSV
   * bits without an extension, control frames, anything.
   */
  public void sendFrame(int head, byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream(payload.length + 14);
    frame.write(head);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xFF);
      }
    }
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    socket.getOutputStream().write(frame.toByteArray());
  }

  /** One frame as it came off the wire: its first byte (FIN, RSV1-3, opcode) and its payload. */
  public record WireFrame(int head, byte[] payload) {
    public int opcode() {
      return head & 0x0F;
    }

    /** Whether RSV1 is set: the payload is compressed when permessage-deflate was negotiated. */
    public boolean compressed() {
      return (head & 0x40) != 0;
    }
  }

  /**
   * Reads the next frame; 1006 as a close frame when the connection ends first.
   *
   * @throws java.net.SocketTimeoutException when none arrives within {@code timeout}
   */
  public WireFrame readFrame(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      int head = in.readUnsignedByte();
      long length = in.readUnsignedByte() & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new WireFrame(head, payload);
    } catch (EOFException | java.net.SocketException e) {
      return new WireFrame(
          0x88, new byte[] {0x03, (byte) 0xEE}); // 1006: the connection ended (or was reset)
    }
  }

  /**
   * Reads (without answering) until the server's close frame, and returns its code and reason; 1006
   * when the connection ends without one.
   */
  public RawWebSocket.Closed awaitClose(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      WireFrame frame = readFrame(Duration.ofMillis(left));
      if (frame.opcode() == 0x8) {
        byte[] payload = frame.payload();
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        String reason =
            payload.length > 2
                ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                : "";
        return new RawWebSocket.Closed(code, reason);
      }
    }
  }

  /**
   * True once the server has closed the TCP connection: a read sees its end (or a reset) within
   * {@code timeout}.
   */
  public boolean connectionEndsWithin(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    byte[] sink = new byte[64 << 10];
    try {
      while (in.read(sink) >= 0) {
        // drain whatever was queued before the end
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true; // reset
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = socket.getInputStream().read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
