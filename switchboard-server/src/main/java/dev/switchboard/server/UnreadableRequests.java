package dev.switchboard.server;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * Requests Netty's HTTP/1 decoder could not read (a request line or header block over the limits, a
 * header without a colon or with control characters, a {@code Content-Length} that is not a number
 * or comes twice, {@code Content-Length} with {@code Transfer-Encoding}) are answered like every
 * other error of the API: the status Vert.x would give (414, 431, else 400) with the {@code
 * {"error": ...}} body saying what was wrong, then the connection is closed, since the rest of what
 * arrives cannot be framed.
 */
final class UnreadableRequests {
  private UnreadableRequests() {}

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String why =
        cause == null || cause.getMessage() == null
            ? ""
            : ": " + cause.getMessage().substring(0, Math.min(200, cause.getMessage().length()));
    ApiException e =
        switch (cause) {
          case TooLongHttpLineException tooLong ->
              new ApiException(
                  414,
                  "URI_TOO_LONG",
                  "the request line is over " + SwitchboardServer.MAX_REQUEST_LINE + " bytes",
                  Optional.empty());
          case TooLongHttpHeaderException tooLarge ->
              new ApiException(
                  431,
                  "HEADERS_TOO_LARGE",
                  "the header block is over " + SwitchboardServer.MAX_HEADER_BYTES + " bytes",
                  Optional.empty());
          case null, default -> ApiException.badRequest("the request is not valid HTTP/1.1" + why);
        };
    request.response().putHeader("Connection", "close");
    JsonHttp.fail(request.response(), e).onComplete(done -> request.connection().close());
  }
}
