package dev.switchboard.server;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every path the server answers and the methods it takes there (one but for templates): the table a
 * wrong method is answered 405 from, with {@code Allow} naming the methods (and {@code HEAD} beside
 * {@code GET}, {@code OPTIONS} everywhere), and the one {@link ApiRoutes} switches over. A path
 * template's {@code {name}} matches one non-empty path segment, still URL-encoded.
 */
enum Endpoint {
  HEALTH(HttpMethod.GET, "/health"),
  /** {@link MetricsEndpoint}'s: Prometheus, no API key. */
  METRICS(HttpMethod.GET, "/metrics"),
  STATS(HttpMethod.GET, "/stats"),
  API_STATS(HttpMethod.GET, "/api/v1/stats"),
  ACK_STATS(HttpMethod.GET, "/api/v1/stats/acks"),
  CHANNELS(HttpMethod.GET, "/api/v1/channels"),
  CHANNEL(HttpMethod.GET, "/api/v1/channels/{name}"),
  USER_SUBSCRIPTIONS(HttpMethod.GET, "/api/v1/users/{user_id}/subscriptions"),
  CLUSTER_STATUS(HttpMethod.GET, "/api/v1/cluster/status"),
  CLUSTER_USER(HttpMethod.GET, "/api/v1/cluster/users/{user_id}"),
  /** Where WebTransport listens and the development certificate's hash. */
  WEBTRANSPORT(HttpMethod.GET, "/api/v1/webtransport"),
  /** The tenants this node knows (configured, connected, or sending today) and their counts. */
  TENANTS(HttpMethod.GET, "/api/v1/tenants"),
  TENANT(HttpMethod.GET, "/api/v1/tenants/{tenant_id}"),
  SEND(HttpMethod.POST, "/api/v1/notifications/send"),
  SEND_TO_USERS(HttpMethod.POST, "/api/v1/notifications/send-to-users"),
  BROADCAST(HttpMethod.POST, "/api/v1/notifications/broadcast"),
  SEND_TO_CHANNEL(HttpMethod.POST, "/api/v1/notifications/channel"),
  SEND_TO_CHANNELS(HttpMethod.POST, "/api/v1/notifications/channels"),
  BATCH(HttpMethod.POST, "/api/v1/notifications/batch"),
  /** {@link TemplatesApi}'s: list and create. */
  TEMPLATES("/api/v1/templates", HttpMethod.GET, HttpMethod.POST),
  /** {@link TemplatesApi}'s: read, change and delete one. */
  TEMPLATE("/api/v1/templates/{id}", HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE),
  /** The WebSocket handshake; a plain GET is a bad request. */
  WEBSOCKET(HttpMethod.GET, "/ws"),
  /** {@link SseEndpoint}'s, which answers its own wrong methods. */
  SSE(HttpMethod.GET, SseEndpoint.STREAM),
  SSE_ACK(HttpMethod.POST, SseEndpoint.ACK);

  private final List<HttpMethod> methods;
  private final String template;
  private final String[] segments;

  Endpoint(HttpMethod method, String template) {
    this(template, method);
  }

  Endpoint(String template, HttpMethod... methods) {
    this.methods = List.of(methods);
    this.template = template;
    this.segments = template.substring(1).split("/");
  }

  /**
   * The endpoint of {@code path} and the values of its template's parameters, in order; empty when
   * no endpoint has that path.
   */
  static Optional<Match> match(String path) {
    if (!path.startsWith("/")) {
      return Optional.empty();
    }
    String[] parts = path.substring(1).split("/", -1);
    for (Endpoint e : values()) {
      Optional<List<String>> params = e.params(parts);
      if (params.isPresent()) {
        return Optional.of(new Match(e, params.get()));
      }
    }
    return Optional.empty();
  }

  private Optional<List<String>> params(String[] parts) {
    if (parts.length != segments.length) {
      return Optional.empty();
    }
    List<String> params = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      if (segments[i].startsWith("{")) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
        params.add(parts[i]);
      } else if (!segments[i].equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(List.copyOf(params));
  }

  /** The methods this path takes, besides {@code HEAD} and {@code OPTIONS}. */
  List<HttpMethod> methods() {
    return methods;
  }

  /** Whether a request with {@code m} carries a body to read (POST, PUT). */
  static boolean hasBody(HttpMethod m) {
    return m == HttpMethod.POST || m == HttpMethod.PUT;
  }

  String template() {
    return template;
  }

  /** Whether {@code m} is answered here: the endpoint's methods, HEAD for GET, and OPTIONS. */
  boolean accepts(HttpMethod m) {
    return methods.contains(m)
        || m == HttpMethod.OPTIONS
        || (m == HttpMethod.HEAD && methods.contains(HttpMethod.GET));
  }

  /**
   * The {@code Allow} header's value: the methods, {@code HEAD} after {@code GET}, then OPTIONS.
   */
  String allow() {
    StringBuilder allow = new StringBuilder();
    for (HttpMethod m : methods) {
      allow.append(m.name()).append(", ");
      if (m == HttpMethod.GET) {
        allow.append("HEAD, ");
      }
    }
    return allow.append("OPTIONS").toString();
  }

  /**
   * A path that names an endpoint.
   *
   * @param params the values of the template's parameters, in order, still URL-encoded
   */
  record Match(Endpoint endpoint, List<String> params) {}
}
