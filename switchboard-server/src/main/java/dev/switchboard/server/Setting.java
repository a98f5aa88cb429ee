package dev.switchboard.server;

import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of {@code switchboard serve}: its TOML key, its environment variable and its
 * default. {@code docs/configuration.md} documents each (a test keeps the two in step).
 */
enum Setting {
  MODE("mode", "development", "development or production (see docs/configuration.md)"),
  HOST("host", "0.0.0.0", "address to bind"),
  PORT("port", "8080", "port to listen on, 0-65535"),
  API_KEY("api_key", "", "the key the HTTP API requires in X-API-Key (at least 16 characters)"),
  ADMIN_TOKEN(
      "admin.token",
      "",
      "the token the admin page at /admin asks for (at least 16 characters); production: unset"
          + " turns the page off"),
  TENANT_API_KEYS(
      "tenants.api_keys",
      "",
      "API keys bound to one tenant each, tenant=key comma-separated: such a key reaches its tenant"
          + " alone"),
  JWT_SECRET(
      "jwt.secret",
      "",
      "HMAC secret, at least 32 bytes: HS256; from 48 bytes also HS384, from 64 also HS512"),
  JWT_PUBLIC_KEY("jwt.public_key", "", "PEM public key (RSA for RS256, EC P-256 for ES256)"),
  JWT_JWKS_URL(
      "jwt.jwks_url", "", "URL of a JWK set, cached and refreshed", "SWITCHBOARD_JWKS_URL"),
  JWT_ISSUER("jwt.issuer", "", "required iss claim, when set"),
  JWT_AUDIENCE("jwt.audience", "", "required aud claim, when set"),
  JWT_ALGORITHMS(
      "jwt.algorithms", "", "allowed algorithms; default: those the configured keys support"),
  JWT_LEEWAY_SECONDS("jwt.leeway_seconds", "30", "clock skew allowed on exp, nbf, iat"),
  JWT_JWKS_REFRESH_SECONDS(
      "jwt.jwks_refresh_seconds", "300", "how often the JWK set is fetched again"),
  MAX_CONNECTIONS("limits.max_connections", "10000", "devices connected at once"),
  MAX_CONNECTIONS_PER_USER("limits.max_connections_per_user", "5", "devices of one user at once"),
  TENANT_MAX_CONNECTIONS(
      "tenants.max_connections",
      "",
      "a tenant's own cap on its devices together, tenant=N comma-separated"),
  TENANT_MAX_CONNECTIONS_PER_USER(
      "tenants.max_connections_per_user",
      "",
      "a tenant's own devices per user, replacing limits.max_connections_per_user: tenant=N,..."),
  MAX_OPEN_SOCKETS(
      "limits.max_open_sockets",
      "0",
      "TCP connections open at once; 0: the file limit less a tenth"),
  MAX_SUBSCRIPTIONS("limits.max_subscriptions_per_connection", "50", "channels per device"),
  MAX_BODY_BYTES("http.max_body_bytes", "65536", "largest HTTP API request body"),
  MAX_BATCH_BODY_BYTES("http.max_batch_body_bytes", "1048576", "largest batch request body"),
  MAX_BATCH_ITEMS("http.max_batch_items", "100", "most notifications per batch"),
  HEADER_TIMEOUT_SECONDS(
      "http.header_timeout_seconds", "10", "time to send a request's headers (408 beyond)"),
  BODY_TIMEOUT_SECONDS(
      "http.body_timeout_seconds", "30", "time to send a request's body (408 beyond)"),
  IDLE_TIMEOUT_SECONDS(
      "http.idle_timeout_seconds", "60", "a keep-alive connection idle this long is closed"),
  CORS_ORIGINS("http.cors_origins", "", "origins allowed to call the API; * for any"),
  HTTP_RATE_LIMIT_PER_SECOND(
      "http.rate_limit_per_second",
      "100",
      "HTTP API requests per second per API key (per address without one); 0 turns the limit off"),
  HTTP_RATE_LIMIT_BURST(
      "http.rate_limit_burst", "200", "most HTTP API requests at once; 0: same as the rate"),
  HTTP_MAX_CONCURRENT_REQUESTS(
      "http.max_concurrent_requests",
      "1000",
      "HTTP API requests handled at once; more are answered 503 with Retry-After"),
  HANDLER_LIMIT_INITIAL(
      "rpc.handler_limit_initial",
      "1000",
      "RPC handlers running at once across all connections, at start; more are answered -32007"),
  HANDLER_LIMIT_MIN("rpc.handler_limit_min", "100", "lowest the adaptive handler limit shrinks to"),
  HANDLER_LIMIT_MAX(
      "rpc.handler_limit_max", "10000", "highest the adaptive handler limit grows to"),
  HANDSHAKE_TIMEOUT_SECONDS(
      "websocket.handshake_timeout_seconds",
      "10",
      "time from a WebSocket upgrade request to its answer (503 beyond)"),
  COMPRESSION("websocket.compression", "false", "lets devices negotiate permessage-deflate"),
  COMPRESSION_MIN_BYTES(
      "websocket.compression_min_bytes",
      "1024",
      "with compression on, shorter messages go out uncompressed"),
  DEFAULT_PROTOCOL(
      "websocket.default_protocol",
      "jsonrpc",
      "jsonrpc or ara: what a device speaks when it names no protocol"),
  PING_INTERVAL_SECONDS(
      "websocket.ping_interval_seconds", "30", "WebSocket ping interval; 0 turns pings off"),
  STALE_TIMEOUT_SECONDS(
      "websocket.stale_timeout_seconds", "120", "a device silent this long is closed"),
  CONNECTIONS_PER_MINUTE_PER_IP(
      "websocket.connections_per_minute_per_ip",
      "10",
      "new WebSocket connections per minute per client address; 0 turns the limit off"),
  MESSAGES_PER_SECOND(
      "websocket.messages_per_second",
      "50",
      "requests and notifications per second per connection, after the burst; 0 turns the limit off"),
  MESSAGE_BURST(
      "websocket.message_burst",
      "200",
      "requests and notifications a connection may send at once; 0: the same as the rate"),
  MAX_REFUSED_MESSAGES(
      "websocket.max_refused_messages",
      "50",
      "messages refused for the rate before the connection is closed with 1008 (refills 10% a second)"),
  MAX_MESSAGE_BYTES("websocket.max_message_bytes", "1048576", "largest message a device may send"),
  OUTBOUND_QUEUE_MESSAGES(
      "websocket.outbound_queue_messages", "1000", "messages waiting per device"),
  OUTBOUND_QUEUE_BYTES("websocket.outbound_queue_bytes", "4194304", "bytes waiting per device"),
  DRAIN_TIMEOUT_SECONDS(
      "shutdown.drain_timeout_seconds", "10", "how long shutdown lets queues drain"),
  RECONNECT_AFTER_SECONDS(
      "shutdown.reconnect_after_seconds", "5", "what the shutdown notice tells devices"),
  HISTORY_SIZE("history.size", "100", "notifications each channel keeps for recovery"),
  HISTORY_TTL_SECONDS("history.ttl_seconds", "600", "how long a channel keeps a notification"),
  HISTORY_MAX_CHANNELS(
      "history.max_channels",
      "10000",
      "channels with a history at once; beyond, the least recently used one is forgotten"),
  QUEUE_MAX_PER_USER(
      "offline_queue.max_per_user",
      "100",
      "notifications each user's inbox keeps; oldest first out"),
  QUEUE_TTL_SECONDS(
      "offline_queue.ttl_seconds",
      "3600",
      "how long an inbox keeps a notification that has no ttl of its own"),
  QUEUE_MAX_USERS(
      "offline_queue.max_users",
      "10000",
      "users with an inbox at once; beyond, the least recently used one is forgotten"),
  ACK_TIMEOUT_SECONDS(
      "acks.timeout_seconds", "30", "how long a delivery waits for its ACK before it expires"),
  ACK_MAX_PENDING("acks.max_pending", "100000", "deliveries waiting for an ACK at once"),
  IDEMPOTENCY_TTL_SECONDS(
      "idempotency.ttl_seconds", "300", "how long a send's idempotency key is remembered"),
  IDEMPOTENCY_MAX_KEYS(
      "idempotency.max_keys", "100000", "idempotency keys remembered at once; more are refused"),
  REDIS_URL(
      "redis.url",
      "",
      "turns the Redis engine on: redis://[user:password@]host:port[/db], rediss:// for TLS;"
          + " empty: one node, in memory"),
  CLUSTER_NODE_ID(
      "cluster.node_id", "", "this node's name in the cluster; default: host name and port"),
  CLUSTER_RESOURCES(
      "cluster.resources",
      "",
      "the resources (tags such as model-a) of this node's in-process functions, comma-separated"),
  CLUSTER_ADDRESS(
      "cluster.address",
      "",
      "where the other nodes' links reach this node (ws://host:port/ws); default: host name and"
          + " port"),
  TEMPLATES_MAX_COUNT(
      "templates.max_count", "1000", "notification templates kept at once; more are refused"),
  WEBTRANSPORT_PORT(
      "webtransport.port",
      "",
      "UDP port of WebTransport over HTTP/3: a number, 0 for the HTTP port's number, or off;"
          + " default: the HTTP port's number in development mode, off in production"),
  WEBTRANSPORT_CERTIFICATE(
      "webtransport.certificate",
      "",
      "PEM file of WebTransport's certificate chain (production); default: a generated"
          + " development certificate"),
  WEBTRANSPORT_PRIVATE_KEY(
      "webtransport.private_key", "", "PEM file of the private key of webtransport.certificate"),
  SSE_HEARTBEAT_SECONDS(
      "sse.heartbeat_seconds", "30", "how often an SSE stream gets a heartbeat event"),
  METRICS_ENABLED(
      "metrics.enabled",
      "true",
      "serves Prometheus metrics at /metrics and records their latency histograms"),
  LOGGING_FORMAT(
      "logging.format", "text", "text, or json: one JSON object per line (docs/observability.md)"),
  TRACING_ENABLED(
      "tracing.enabled",
      "false",
      "exports OpenTelemetry traces where the OTEL_EXPORTER_OTLP_* variables say"),
  TRACING_SAMPLING_RATIO(
      "tracing.sampling_ratio",
      "",
      "share of new traces kept, 0 to 1; default: OTEL_TRACES_SAMPLER's choice, else all");

  private final String key;
  private final String defaultValue;
  private final String description;
  private final Optional<String> alias;

  Setting(String key, String defaultValue, String description) {
    this(key, defaultValue, description, null);
  }

  Setting(String key, String defaultValue, String description, String alias) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.alias = Optional.ofNullable(alias);
  }

  /** The TOML key: {@code section.name} or a top-level {@code name}. */
  String key() {
    return key;
  }

  /** The default as text; empty when unset by default. */
  String defaultValue() {
    return defaultValue;
  }

  String description() {
    return description;
  }

  /**
   * {@code SWITCHBOARD_} and the key in capitals, dots as underscores: {@code
   * SWITCHBOARD_JWT_SECRET}.
   */
  String environmentVariable() {
    return "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** A second, shorter environment variable that also works (e.g. {@code SWITCHBOARD_JWKS_URL}). */
  Optional<String> alias() {
    return alias;
  }

  static Optional<Setting> byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
