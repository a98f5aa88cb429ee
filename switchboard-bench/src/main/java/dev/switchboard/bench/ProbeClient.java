package dev.switchboard.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written client for the attack probe: one blocking {@link Socket} that speaks raw HTTP/1.1
 * and RFC 6455 frames (client frames masked), with nothing of Switchboard's own client library, so
 * that it can send what a well-behaved client never would. Each connection binds its own loopback
 * source address (127.0.0.N): the server's per-address budgets then see independent clients. One
 * thread at a time reads, one writes.
 */
final class ProbeClient implements AutoCloseable {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  static final int RSV1 = 0x40;
  static final int RSV2 = 0x20;

  private static final InetAddress SERVER = InetAddress.getLoopbackAddress();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int port;

  private ProbeClient(Socket socket, int port) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.out = socket.getOutputStream();
    this.port = port;
  }

  /**
   * Connects to the server's {@code port} on 127.0.0.1 from {@code from} (a loopback address).
   *
   * @param receiveBuffer the socket's receive buffer in bytes, set before connecting; 0 keeps the
   *     system's
   */
  static ProbeClient open(int port, String from, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(SERVER, port), CONNECT_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      return new ProbeClient(socket, port);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  static ProbeClient open(int port, String from) throws IOException {
    return open(port, from, 0);
  }

  Socket socket() {
    return socket;
  }

  int localPort() {
    return socket.getLocalPort();
  }

  void readTimeout(Duration timeout) throws SocketException {
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void send(String ascii) throws IOException {
    send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Closes the socket now, from any thread: a write or read blocked on it ends with an exception.
   */
  void disconnect() {
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort: the attack may have broken the connection already.
    }
  }

  // ---- HTTP/1.1

  /** What the server answered: status, headers (names in lower case) and body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * A request's bytes: request line, Host, the given header lines, Content-Length when there is a
   * body.
   */
  String head(String method, String target, List<String> headers, long contentLength) {
    StringBuilder b =
        new StringBuilder(method)
            .append(' ')
            .append(target)
            .append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:")
            .append(port)
            .append("\r\n");
    headers.forEach(h -> b.append(h).append("\r\n"));
    if (contentLength > 0) {
      b.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /** Sends one request and reads its answer. */
  Answer exchange(String method, String target, List<String> headers, byte[] body)
      throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        head(method, target, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(body);
    send(request.toByteArray());
    return readAnswer();
  }

  Answer get(String target, List<String> headers) throws IOException {
    return exchange("GET", target, headers, new byte[0]);
  }

  /**
   * Reads one answer: its head, then its body by Content-Length or chunks (none for 1xx, 204, 304).
   */
  Answer readAnswer() throws IOException {
    Answer head = readHead();
    int status = head.status();
    if (status < 200 || status == 204 || status == 304) {
      return head;
    }
    Optional<String> length = head.header("content-length");
    byte[] body;
    if (length.isPresent()) {
      body = in.readNBytes(Integer.parseInt(length.get().trim()));
    } else if (head.header("transfer-encoding").map(t -> t.contains("chunked")).orElse(false)) {
      body = readChunks();
    } else {
      body = in.readAllBytes(); // HTTP/1.1 without a length: the body ends with the connection
    }
    return new Answer(status, head.headers(), body);
  }

  /** Reads an answer's status line and headers only (a 101 has nothing after them but frames). */
  Answer readHead() throws IOException {
    String status = readLine();
    if (status.isEmpty()) {
      status = readLine(); // a stray CRLF between answers
    }
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: " + status);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return new Answer(Integer.parseInt(parts[1]), headers, new byte[0]);
  }

  private byte[] readChunks() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine();
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        while (!readLine().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.writeBytes(in.readNBytes(n));
      readLine();
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException(
            "connection closed" + (line.isEmpty() ? "" : " after \"" + line + "\""));
      }
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) c);
    }
  }

  // ---- WebSocket (RFC 6455)

  /**
   * Sends an upgrade request for {@code target} (path and query) with extra header lines; reads the
   * answer head.
   */
  Answer upgrade(String target, List<String> headers) throws IOException {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    List<String> all =
        new ArrayList<>(
            List.of(
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key),
                "Sec-WebSocket-Version: 13"));
    all.addAll(headers);
    send(head("GET", target, all, 0));
    Answer answer = readHead();
    if (answer.status() == 101) {
      return answer;
    }
    // A refusal has a body (or not): read what its length says, without waiting for more.
    Optional<String> length = answer.header("content-length");
    byte[] body =
        length.isPresent() ? in.readNBytes(Integer.parseInt(length.get().trim())) : new byte[0];
    return new Answer(answer.status(), answer.headers(), body);
  }

  /**
   * One client frame: FIN as given, the RSV bits of {@code rsv} (e.g. {@link #RSV1}), masked
   * payload.
   */
  static byte[] frame(int opcode, boolean fin, int rsv, byte[] payload) {
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    byte[] header = frameHeader(opcode, fin, rsv, payload.length, mask);
    byte[] frame = new byte[header.length + payload.length];
    System.arraycopy(header, 0, frame, 0, header.length);
    for (int i = 0; i < payload.length; i++) {
      frame[header.length + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return frame;
  }

  static byte[] text(String message) {
    return frame(TEXT, true, 0, message.getBytes(StandardCharsets.UTF_8));
  }

  /** A close frame with {@code code} and no reason. */
  static byte[] closeFrame(int code) {
    return frame(CLOSE, true, 0, new byte[] {(byte) (code >> 8), (byte) code});
  }

  private static byte[] frameHeader(int opcode, boolean fin, int rsv, long length, byte[] mask) {
    ByteArrayOutputStream h = new ByteArrayOutputStream(14);
    h.write((fin ? 0x80 : 0) | rsv | opcode);
    if (length < 126) {
      h.write(0x80 | (int) length);
    } else if (length <= 0xFFFF) {
      h.write(0x80 | 126);
      h.write((int) (length >> 8));
      h.write((int) length);
    } else {
      h.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        h.write((int) (length >> shift));
      }
    }
    h.writeBytes(mask);
    return h.toByteArray();
  }

  /** A frame from the server; {@code payload} is empty when it was longer than the reader kept. */
  record Frame(int opcode, boolean fin, int rsv, long length, byte[] payload) {
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }

    String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
          : "";
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Reads one frame; a payload over {@code keep} bytes is skipped rather than kept. */
  Frame readFrame(int keep) throws IOException {
    int b0 = readByte();
    int b1 = readByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = ((long) readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    if ((b1 & 0x80) != 0) {
      in.skipNBytes(4); // servers do not mask; skip a mask anyway
    }
    byte[] payload;
    if (length <= keep) {
      payload = in.readNBytes((int) length);
      if (payload.length < length) {
        throw new EOFException("connection closed inside a frame");
      }
    } else {
      in.skipNBytes(length);
      payload = new byte[0];
    }
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, b0 & 0x70, length, payload);
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed");
    }
    return b;
  }

  /**
   * How a connection ended, as the client saw it: a close frame (and whether the TCP connection
   * then ended), or the end of the connection without one, or nothing within the time allowed.
   * {@code nanos} is when it was seen.
   */
  record Ending(Optional<Frame> close, String how, long nanos, int framesBefore) {
    String describe() {
      return close
          .map(
              f ->
                  "close "
                      + f.closeCode()
                      + (f.closeReason().isEmpty() ? "" : " \"" + f.closeReason() + "\""))
          .orElse(how);
    }
  }

  /**
   * Reads frames, answering nothing, until a close frame, the end of the connection, or {@code
   * timeout}.
   */
  Ending awaitClose(Duration timeout) throws SocketException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int frames = 0;
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
      try {
        Frame f = readFrame(1 << 16);
        if (f.opcode() == CLOSE) {
          return new Ending(Optional.of(f), "close", System.nanoTime(), frames);
        }
        frames++;
      } catch (SocketTimeoutException e) {
        return new Ending(
            Optional.empty(),
            "no close within " + timeout.toSeconds() + " s",
            System.nanoTime(),
            frames);
      } catch (IOException e) {
        return new Ending(Optional.empty(), ended(e), System.nanoTime(), frames);
      }
    }
  }

  /**
   * Reads (and drops) until the server ends the connection, or {@code timeout}; how and when it
   * ended.
   */
  Ending awaitEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] sink = new byte[8192];
    String late = "still open after " + timeout.toSeconds() + " s";
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return new Ending(Optional.empty(), late, System.nanoTime(), 0);
        }
        socket.setSoTimeout((int) left);
        if (in.read(sink) < 0) {
          return new Ending(Optional.empty(), "TCP closed (EOF)", System.nanoTime(), 0);
        }
      }
    } catch (SocketTimeoutException e) {
      return new Ending(Optional.empty(), late, System.nanoTime(), 0);
    } catch (IOException e) {
      return new Ending(Optional.empty(), ended(e), System.nanoTime(), 0);
    }
  }

  /** "EOF" for an orderly end, "reset" for an RST, else the exception's message. */
  static String ended(IOException e) {
    if (e instanceof EOFException) {
      return "TCP closed (EOF)";
    }
    String message = String.valueOf(e.getMessage());
    return message.contains("reset") || message.contains("Broken pipe")
        ? "TCP reset"
        : e.toString();
  }
}
