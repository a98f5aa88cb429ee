package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API as a backend calls it: the JDK's client, JSON in, status and JSON out, with the API
 * key when the server has one. {@link #rawExchange} writes the request by hand, for what the JDK
 * client will not send.
 */
final class PushHttp {

  /** An answer: status, headers, body. */
  record Response(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return parse(body);
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

  private final int port;
  private final Optional<String> apiKey;

  PushHttp(int port, Optional<String> apiKey) {
    this.port = port;
    this.apiKey = apiKey;
  }

  /** {@code GET path} with the API key and {@code headers} (name, value, ...). */
  Response get(String path, String... headers) {
    return send(request(path, headers).GET());
  }

  /**
   * {@code POST path} with a JSON {@code body}, the API key and {@code headers} (name, value, ...).
   */
  Response post(String path, String body, String... headers) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  Response post(String path, byte[] body, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** {@code method path} with a JSON {@code body}, the API key and {@code headers}. */
  Response sendJson(String method, String path, String body, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  Response send(String method, String path, String... headers) {
    return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /** {@code POST path} expecting 200; returns the answer's JSON. */
  JsonNode ok(String path, String body) {
    Response response = post(path, body);
    if (response.status() != 200) {
      throw new AssertionError("POST " + path + " " + body + " answered " + response);
    }
    return response.json();
  }

  /** {@code GET path} expecting 200; returns the answer's JSON. */
  JsonNode ok(String path) {
    Response response = get(path);
    if (response.status() != 200) {
      throw new AssertionError("GET " + path + " answered " + response);
    }
    return response.json();
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT);
    apiKey.ifPresent(key -> builder.header("X-API-Key", key));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError("no answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Writes {@code head} (request line and headers, without the blank line; Host and the API key are
   * added) and then {@code body}, and reads the answer, which must come within {@link
   * PushFixture#WAIT}, whether or not the server waits for more of the body.
   */
  RawAnswer rawExchange(String head, byte[] body) throws IOException {
    return exchange(head + apiKey.map(k -> "\r\nX-API-Key: " + k).orElse(""), body);
  }

  /**
   * The status with which the server answers a WebSocket upgrade of {@code pathAndQuery} with
   * {@code headers}, read off the wire: 101 when it accepts (the connection is then dropped).
   */
  int upgradeStatus(String pathAndQuery, Map<String, String> headers) {
    StringBuilder head =
        new StringBuilder(
            "GET "
                + pathAndQuery
                + " HTTP/1.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13");
    headers.forEach((name, value) -> head.append("\r\n").append(name).append(": ").append(value));
    try {
      return exchange(head.toString(), new byte[0]).status();
    } catch (IOException e) {
      throw new AssertionError("no answer to the upgrade of " + pathAndQuery + ": " + e, e);
    }
  }

  private RawAnswer exchange(String head, byte[] body) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          (head + "\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n;
          !complete(answer.toString(StandardCharsets.UTF_8)) && (n = in.read(buffer)) > 0; ) {
        answer.write(buffer, 0, n);
      }
      String text = answer.toString(StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/1.1 ")) {
        throw new IOException("not an HTTP answer: " + text);
      }
      return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text);
    }
  }

  /** A hand-read answer. */
  record RawAnswer(int status, String text) {}

  /** True once the head and as many body bytes as its Content-Length says have arrived. */
  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return text.length() - end - 4 >= Integer.parseInt(line.substring(15).trim());
      }
    }
    return true; // no body announced (101, 204): the head is the whole answer
  }

  /** Single quotes to double quotes, so request bodies read as JSON in the tests' source. */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** The field names of a JSON object, in order. */
  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static JsonNode parse(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
