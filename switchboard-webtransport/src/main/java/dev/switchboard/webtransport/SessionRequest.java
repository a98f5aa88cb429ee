package dev.switchboard.webtransport;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An extended CONNECT asking for a WebTransport session, waiting for an answer. Thread-safe; the
 * first answer wins, a later one throws {@link IllegalStateException}.
 */
public interface SessionRequest {
  /** The request path without the query, as {@code /wt}. */
  String path();

  /** The query string without {@code ?}, empty when there is none. */
  String query();

  /** The {@code :authority} pseudo-header, as {@code 127.0.0.1:4433}. */
  String authority();

  /** The client's address (its UDP source), for logs and per-address limits. */
  java.net.SocketAddress remoteAddress();

  /** The {@code origin} header, sent by browsers. */
  Optional<String> origin();

  /**
   * Every header of the request, pseudo-headers included, names in lower case, values in arrival
   * order.
   */
  Map<String, List<String>> headers();

  /**
   * Accepts: the client receives 200 and the session opens. Streams and datagrams of the session
   * that arrived before the answer are delivered once handlers are set.
   *
   * @return the session; if the client left meanwhile it is already closed (its close listener
   *     still fires)
   * @throws IllegalStateException when the request was already answered
   */
  WebTransportSession accept();

  /**
   * Refuses with an HTTP status (4xx or 5xx) and ends the CONNECT stream. The reason is logged, not
   * sent.
   *
   * @throws IllegalArgumentException when {@code status} is not 400..599
   * @throws IllegalStateException when the request was already answered
   */
  void refuse(int status, String reason);
}
