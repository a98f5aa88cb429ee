package dev.switchboard.client;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket server for tests, by hand on a {@link ServerSocket} so that it can misbehave: it does
 * the server's half of the handshake (or refuses it), then hands each connection to the test as a
 * {@link Peer} that reads and writes raw frames. Nothing is answered automatically, not even pings.
 */
final class TestWebSocketServer implements AutoCloseable {

  /** How the server answers the upgrade request. */
  enum Handshake {
    ACCEPT,
    WRONG_ACCEPT,
    NOT_FOUND,
    SILENT
  }

  private final ServerSocket server;
  private final Handshake handshake;

  /** Sent in the same write as the 101 answer, as a server that speaks first may. */
  private final byte[] greeting;

  private final BlockingQueue<Peer> peers = new LinkedBlockingQueue<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private TestWebSocketServer(Handshake handshake, byte[] greeting) throws IOException {
    this.handshake = handshake;
    this.greeting = greeting;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("test-ws-accept").start(this::acceptLoop);
  }

  static TestWebSocketServer start(Handshake handshake) throws IOException {
    return new TestWebSocketServer(handshake, new byte[0]);
  }

  /**
   * Accepts every handshake and sends {@code greeting} (frames) in the same write as the 101
   * answer.
   */
  static TestWebSocketServer greeting(byte[] greeting) throws IOException {
    return new TestWebSocketServer(Handshake.ACCEPT, greeting);
  }

  int port() {
    return server.getLocalPort();
  }

  URI uri(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  /** The next connection whose handshake the server finished (or, when SILENT, read). */
  Peer accept(Duration timeout) throws InterruptedException {
    Peer peer = peers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (peer == null) {
      throw new AssertionError("no connection within " + timeout);
    }
    return peer;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        Thread.ofVirtual().name("test-ws-peer").start(() -> handshake(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void handshake(Socket socket) {
    try {
      socket.setTcpNoDelay(true);
      Peer peer = new Peer(socket);
      String answer =
          switch (handshake) {
            case SILENT -> "";
            case NOT_FOUND -> "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
            case WRONG_ACCEPT -> upgrade("d3Jvbmc=");
            case ACCEPT -> upgrade(accept(peer.headers().get("sec-websocket-key")));
          };
      byte[] head = answer.getBytes(StandardCharsets.US_ASCII);
      byte[] both = Arrays.copyOf(head, head.length + (answer.isEmpty() ? 0 : greeting.length));
      System.arraycopy(greeting, 0, both, head.length, both.length - head.length);
      peer.send(both);
      peers.add(peer);
    } catch (IOException | RuntimeException e) {
      // the client went away during the handshake; the test sees no peer
    }
  }

  private static String upgrade(String accept) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: "
        + accept
        + "\r\n\r\n";
  }

  /** Computed here rather than borrowed from the client, so that a wrong client fails the test. */
  private static String accept(String key) {
    try {
      String guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-1")
                  .digest((key + guid).getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  /** One frame as the server read it, unmasked. */
  record Frame(int firstByte, boolean masked, int maskKey, byte[] payload) {
    boolean fin() {
      return (firstByte & 0x80) != 0;
    }

    int opcode() {
      return firstByte & 0x0F;
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** Reads one frame (RFC 6455, section 5.2), unmasking it if masked. */
    static Frame read(DataInputStream in) throws IOException {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      boolean masked = (b1 & 0x80) != 0;
      int key = masked ? in.readInt() : 0;
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      for (int i = 0; masked && i < payload.length; i++) {
        payload[i] ^= (byte) (key >>> (24 - 8 * (i % 4)));
      }
      return new Frame(b0, masked, key, payload);
    }
  }

  /**
   * A frame as a server sends it: {@code firstByte} is FIN, RSV and opcode; unmasked unless a key
   * is given.
   */
  static byte[] frame(int firstByte, byte[] payload, Integer maskKey) {
    int n = payload.length;
    int extra = n <= 125 ? 0 : n <= 0xFFFF ? 2 : 8;
    byte[] frame = new byte[2 + extra + (maskKey == null ? 0 : 4) + n];
    frame[0] = (byte) firstByte;
    frame[1] = (byte) ((maskKey == null ? 0 : 0x80) | (n <= 125 ? n : n <= 0xFFFF ? 126 : 127));
    int p = 2;
    for (int i = extra - 1; i >= 0; i--) {
      frame[p++] = (byte) ((long) n >>> (8 * i));
    }
    for (int i = 0; maskKey != null && i < 4; i++) {
      frame[p++] = (byte) (maskKey >>> (24 - 8 * i));
    }
    for (int i = 0; i < n; i++) {
      frame[p + i] =
          maskKey == null ? payload[i] : (byte) (payload[i] ^ (maskKey >>> (24 - 8 * (i % 4))));
    }
    return frame;
  }

  static byte[] closePayload(int code, String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    return payload;
  }

  /** The server's end of one connection. */
  static final class Peer {
    private final Socket socket;
    private final AtomicInteger socketReads = new AtomicInteger();
    private final DataInputStream in;
    private final OutputStream out;
    private final String requestLine;
    private final Map<String, String> headers = new HashMap<>();

    private Peer(Socket socket) throws IOException {
      this.socket = socket;
      InputStream counting =
          new FilterInputStream(socket.getInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = super.read(b, off, len);
              if (n > 0) {
                socketReads.incrementAndGet();
              }
              return n;
            }
          };
      this.in = new DataInputStream(new BufferedInputStream(counting, 64 * 1024));
      this.out = socket.getOutputStream();
      socket.setSoTimeout(5000);
      this.requestLine = readLine();
      for (String line = readLine(); !line.isEmpty(); line = readLine()) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          throw new IOException("not an HTTP header: " + line);
        }
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }

    String requestLine() {
      return requestLine;
    }

    /** Request headers by lower-case name. */
    Map<String, String> headers() {
      return headers;
    }

    /** How many reads from the socket returned data, handshake included. */
    int socketReads() {
      return socketReads.get();
    }

    Frame read(Duration timeout) throws IOException {
      socket.setSoTimeout((int) timeout.toMillis());
      return Frame.read(in);
    }

    void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    void sendFrame(int firstByte, byte[] payload) throws IOException {
      send(frame(firstByte, payload, null));
    }

    /**
     * Whether the client closed the connection within {@code timeout}, reading (and dropping) what
     * comes first.
     */
    boolean endsWithin(Duration timeout) throws IOException {
      socket.setSoTimeout((int) timeout.toMillis());
      try {
        while (in.read() != -1) {
          // drop
        }
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (EOFException | SocketException e) { // a reset ends it too
        return true;
      }
    }

    void close() throws IOException {
      socket.close();
    }

    private String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c == -1) {
          throw new EOFException("the client left during the handshake");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }
}
