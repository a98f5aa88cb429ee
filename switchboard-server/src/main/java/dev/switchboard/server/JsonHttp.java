package dev.switchboard.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The JSON bodies of the HTTP API and of its neighbours ({@code /sse}, {@code /sse/ack}): a request
 * body read with a clear 400 when it is not JSON, an answer or an {@link ApiException} written as
 * JSON, and a refusal that does not wait for a body it will not read. Stateless.
 */
final class JsonHttp {

  private JsonHttp() {}

  /**
   * {@code body} as JSON.
   *
   * @param expected what the caller should send, for the message of an empty body
   * @throws ApiException 400 saying what is wrong with it
   */
  static JsonNode parse(Buffer body, String expected) {
    if (body.length() == 0) {
      throw ApiException.badRequest("the request body is empty; send " + expected);
    }
    try {
      return Json.mapper().readTree(body.getBytes());
    } catch (StreamConstraintsException e) {
      // Valid JSON beyond a read limit of Json's: nesting depth, a number's exponent or length.
      // Jackson names the internal setting behind the limit, which means nothing to a caller.
      throw ApiException.badRequest(
          "the request body is beyond a limit: "
              + e.getOriginalMessage().replaceAll(", from `[^`]*`", ""));
    } catch (JacksonException e) {
      throw ApiException.badRequest(
          "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
  }

  /**
   * The query's parameters, the first value of each; empty, and 400 answered, when the query string
   * is not valid URL encoding ({@code %zz}).
   */
  static Optional<Map<String, String>> queryOrRefuse(
      HttpServerRequest request, HttpServerResponse response) {
    Map<String, String> query = new HashMap<>();
    try {
      request.params().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
    } catch (IllegalArgumentException e) {
      fail(
          response,
          ApiException.badRequest("the query string is not valid URL encoding: " + e.getMessage()));
      return Optional.empty();
    }
    return Optional.of(Map.copyOf(query));
  }

  /**
   * Writes {@code e} as the answer; the future completes once it is written (at once if it cannot
   * be).
   */
  static Future<Void> fail(HttpServerResponse response, ApiException e) {
    if (e.status() == 503 && !response.headWritten()) {
      e.retryAfterSeconds()
          .ifPresent(seconds -> response.putHeader("Retry-After", String.valueOf(seconds)));
    }
    return send(response, e.status(), e.body());
  }

  /** Answers {@code body} as JSON with {@code status}, unless the response is already over. */
  static Future<Void> send(HttpServerResponse response, int status, JsonNode body) {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JSON answer", e);
    }
    if (!response.ended() && !response.closed()) {
      return response
          .setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(Buffer.buffer(bytes));
    }
    return Future.succeededFuture();
  }

  /**
   * Answers a request that is refused before its body was read (401, 413, 429, 503) and, when it
   * has a body, ends the exchange without reading the rest ({@link Connections#answerThenClose}).
   */
  static void refuseEarly(HttpServerRequest request, HttpServerResponse response, ApiException e) {
    if (!hasBody(request) || request.isEnded()) {
      fail(response, e);
      return;
    }
    response.putHeader("Connection", "close");
    Connections.answerThenClose(request.connection(), () -> fail(response, e));
  }

  /**
   * Reads the body of {@code request}, then hands it to {@code onBody} on the event loop; a body
   * over {@code limit} bytes, as declared ({@code Content-Length}) or as sent, is refused 413 with
   * {@link #refuseEarly} and never handed over.
   */
  static void readBody(
      HttpServerRequest request, HttpServerResponse response, int limit, Consumer<Buffer> onBody) {
    String declared = request.getHeader("Content-Length");
    if (declared != null && contentLength(declared) > limit) {
      refuseEarly(request, response, ApiException.tooLarge(limit));
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(
        chunk -> {
          if (refused[0]) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            refused[0] = true;
            refuseEarly(request, response, ApiException.tooLarge(limit));
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (!refused[0]) {
            onBody.accept(body);
          }
        });
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    return request.getHeader("Transfer-Encoding") != null
        || (length != null && contentLength(length) != 0);
  }

  /** A {@code Content-Length} value; -1 when it is not a number. */
  static long contentLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
