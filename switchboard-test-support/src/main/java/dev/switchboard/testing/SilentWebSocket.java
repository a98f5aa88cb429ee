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
 * A WebSocket peer that opens the connection and then answers nothing, not even a ping: a dead or frozen client,
 * as keepalive must detect it. Plain TCP and a hand-written handshake, since every WebSocket library answers pings
 * by itself.
 */
public final class SilentWebSocket implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;

  private SilentWebSocket(URI uri) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(4096); // a small window: what the server sends piles up on its side quickly
    socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new DataInputStream(socket.getInputStream());
    String status = readLine();
    if (!status.contains(" 101 ")) {
      throw new IOException("handshake refused: " + status);
    }
    while (!readLine().isEmpty()) {
      // skip the response headers
    }
  }

  public static SilentWebSocket connect(URI uri) {
    try {
      return new SilentWebSocket(uri);
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to " + uri, e);
    }
  }

  /** Sends one text message (a masked frame, as a client must), but still reads nothing. */
  public void sendText(String text) throws IOException {
    sendTextBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes as a text frame as they are, valid UTF-8 or not (WebSocket libraries refuse to). */
  public void sendTextBytes(byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream(payload.length + 14);
    frame.write(0x81); // FIN, text
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

  /**
   * Reads (without answering) until the server's close frame, and returns its code and reason; 1006 when the
   * connection ends without one.
   */
  public RawWebSocket.Closed awaitClose(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      while (true) {
        int opcode = in.readUnsignedByte() & 0x0F;
        long length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
          String reason = payload.length > 2
              ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
          return new RawWebSocket.Closed(code, reason);
        }
      }
    } catch (EOFException e) {
      return new RawWebSocket.Closed(1006, "");
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
