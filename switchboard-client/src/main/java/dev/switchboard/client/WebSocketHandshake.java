package dev.switchboard.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The client's opening handshake (RFC 6455, section 4.1) on a blocking socket: TCP (and TLS for
 * {@code wss://}), the upgrade request, and the checks of the server's answer. Blocks, so it runs
 * on a virtual thread.
 */
final class WebSocketHandshake {

  /** Appended to the key before hashing, RFC 6455 section 1.3. */
  static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** Headers the handshake writes itself; a user's header must not repeat them. */
  private static final Set<String> OWN_HEADERS =
      Set.of(
          "host",
          "upgrade",
          "connection",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-accept",
          "sec-websocket-extensions",
          "content-length");

  /** A server's answer larger than this is not a WebSocket handshake. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  /**
   * Frames are read through this buffer after the handshake, so a large one means fewer read calls.
   */
  static final int READ_BUFFER_BYTES = 64 * 1024;

  private static final SecureRandom KEYS = new SecureRandom();

  /**
   * A socket after a successful handshake. {@code raw} is the TCP socket under {@code socket} (the
   * same one for {@code ws://}): closing it drops the connection at once, without TLS's goodbye.
   * {@code in} may already hold frames the server sent right after its answer.
   */
  record Opened(Socket socket, Socket raw, InputStream in) {}

  private WebSocketHandshake() {}

  /** Rejects headers the handshake sets itself and values that would break the request. */
  static void checkHeaders(Map<String, String> headers) {
    headers.forEach(
        (name, value) -> {
          if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                "the WebSocket handshake sets header " + name + " itself");
          }
          if (name.isEmpty() || !isToken(name)) {
            throw new IllegalArgumentException("not a valid header name: '" + name + "'");
          }
          if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(
                "the value of header " + name + " contains a line break");
          }
        });
  }

  /**
   * Connects and upgrades. {@code timeout} bounds the TCP connect and, separately, every read of
   * the TLS and WebSocket handshakes.
   *
   * @throws IOException when the server is unreachable, too slow, or answers anything but a valid
   *     101
   */
  static Opened open(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
    if (uri.getHost() == null) {
      throw new IOException("no host name in " + uri);
    }
    boolean tls = "wss".equals(uri.getScheme());
    String host = bareHost(uri.getHost());
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    int timeoutMillis = Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      raw.connect(new InetSocketAddress(host, port), timeoutMillis);
      raw.setSoTimeout(timeoutMillis);
      Socket socket = tls ? startTls(raw, host, port) : raw;
      String key = Base64.getEncoder().encodeToString(randomKey());
      OutputStream out = socket.getOutputStream();
      out.write(request(uri, headers, key).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), READ_BUFFER_BYTES);
      checkResponse(in, key);
      raw.setSoTimeout(0);
      return new Opened(socket, raw, in);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static byte[] randomKey() {
    byte[] key = new byte[16];
    KEYS.nextBytes(key);
    return key;
  }

  private static Socket startTls(Socket raw, String host, int port) throws IOException {
    SSLContext context;
    try {
      context = SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("no default TLS context", e);
    }
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!isIpLiteral(host)) { // RFC 6066: no SNI for addresses
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(parameters);
    ssl.startHandshake();
    return ssl;
  }

  static String request(URI uri, Map<String, String> headers, String key) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    StringBuilder request =
        new StringBuilder(256)
            .append("GET ")
            .append(path)
            .append(query)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(host)
            .append("\r\n")
            .append("Upgrade: websocket\r\n")
            .append("Connection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: ")
            .append(key)
            .append("\r\n")
            .append("Sec-WebSocket-Version: 13\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    return request.append("\r\n").toString();
  }

  /**
   * Reads the server's answer up to the blank line and checks it, RFC 6455 section 4.1 (the
   * client's checks).
   */
  private static void checkResponse(InputStream in, String key) throws IOException {
    int[] budget = {MAX_RESPONSE_BYTES};
    String status = readLine(in, budget);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].equals("101")) {
      throw new ProtocolException(
          "handshake refused: " + (status.isEmpty() ? "(no status line)" : status));
    }
    Map<String, String> fields = new HashMap<>();
    for (String line = readLine(in, budget); !line.isEmpty(); line = readLine(in, budget)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.merge(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    if (!"websocket".equalsIgnoreCase(fields.get("upgrade"))) {
      throw new ProtocolException(
          "handshake refused: Upgrade is '" + fields.get("upgrade") + "', not websocket");
    }
    if (!hasToken(fields.get("connection"), "upgrade")) {
      throw new ProtocolException(
          "handshake refused: Connection is '" + fields.get("connection") + "'");
    }
    String expected = accept(key);
    if (!expected.equals(fields.get("sec-websocket-accept"))) {
      throw new ProtocolException(
          "handshake refused: Sec-WebSocket-Accept is '"
              + fields.get("sec-websocket-accept")
              + "', expected '"
              + expected
              + "'");
    }
    String extensions = fields.get("sec-websocket-extensions");
    if (extensions != null
        && !extensions.isEmpty()) { // we asked for none, so their frames would not parse
      throw new ProtocolException(
          "handshake refused: the server chose extensions we did not offer: " + extensions);
    }
  }

  /** The Sec-WebSocket-Accept a server must answer to {@code key}. */
  static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /**
   * One line without its CRLF (a bare LF is tolerated), charging its bytes to {@code budget[0]}.
   */
  private static String readLine(InputStream in, int[] budget) throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        throw new ProtocolException(
            "handshake refused: the connection ended during the server's answer");
      }
      if (--budget[0] < 0) {
        throw new ProtocolException(
            "handshake refused: the server's answer exceeds " + MAX_RESPONSE_BYTES + " bytes");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static boolean hasToken(String header, String token) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isToken(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link URI#getHost()} keeps the brackets of an IPv6 address; sockets and SNI want it without.
   */
  private static String bareHost(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }
}
