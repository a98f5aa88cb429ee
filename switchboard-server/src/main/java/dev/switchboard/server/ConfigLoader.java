package dev.switchboard.server;

import dev.switchboard.auth.ApiKey;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.gateway.TenantLimits;
import dev.switchboard.redis.RedisSettings;
import dev.switchboard.rpc.RpcConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads the server's configuration from three layers, each overriding the one before: a TOML file
 * ({@code --config}), environment variables ({@code SWITCHBOARD_...}, see {@link Setting}) and
 * command-line flags. Values that do not parse or are out of range, and unknown keys, stop start-up
 * with one {@link ConfigException} that reports every one of them, a line each, naming the key,
 * where the value came from, the value, and what is allowed. How valid values combine (production
 * mode's keys, limits that must be ordered) is checked once every value is valid.
 */
final class ConfigLoader {

  /** The layers' values, read and typed; every problem found lands in its errors. */
  private final SettingValues v;

  private ConfigLoader(SettingValues values) {
    this.v = values;
  }

  /**
   * Thrown for any configuration problem; the message is meant for the person starting the server:
   * one line per problem.
   */
  static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    ConfigException(List<String> problems) {
      super(String.join("\n", problems));
      this.problems = List.copyOf(problems);
    }

    /** The problems, one line each, in the order they were found. */
    List<String> problems() {
      return problems;
    }
  }

  /**
   * Loads the layers.
   *
   * @param file the TOML file, if any; unknown keys in it are errors (a typo must not be ignored)
   * @param environment usually {@code System.getenv()}; unknown {@code SWITCHBOARD_} variables are
   *     ignored
   * @param flags settings from the command line by key, e.g. {@code port -> 9000}
   */
  static ServerConfig load(
      Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
    return new ConfigLoader(SettingValues.read(file, environment, flags)).build();
  }

  /** Reads {@code setting}'s tenant=N pairs into {@code limits}, each through {@code with}. */
  private void tenantLimit(
      Setting setting,
      String allowed,
      Map<Tenant, TenantLimits> limits,
      BiFunction<TenantLimits, Integer, TenantLimits> with) {
    v.attempt(setting, t -> SettingValues.perTenant(t, SettingValues::count), allowed)
        .ifPresent(
            m ->
                m.forEach(
                    (tenant, n) ->
                        limits.put(
                            tenant,
                            with.apply(limits.getOrDefault(tenant, TenantLimits.NONE), n))));
  }

  private ServerConfig build() {
    ServerConfig.Builder b =
        ServerConfig.builder()
            .mode(v.get(Setting.MODE, Mode::parse, "development or production"))
            .host(v.text(Setting.HOST).orElse("0.0.0.0"))
            .port(v.integer(Setting.PORT, 0, 65535))
            .defaultProtocol(
                v.get(Setting.DEFAULT_PROTOCOL, DeviceProtocol::parse, "jsonrpc or ara"))
            .sseHeartbeat(v.seconds(Setting.SSE_HEARTBEAT_SECONDS, 1))
            .templatesMaxCount(v.integer(Setting.TEMPLATES_MAX_COUNT, 1, 1_000_000))
            .drainTimeout(v.seconds(Setting.DRAIN_TIMEOUT_SECONDS, 0))
            .reconnectAfter(v.seconds(Setting.RECONNECT_AFTER_SECONDS, 0));
    // Each group is checked whole (a minimum above its maximum...), and reported on its own.
    v.combined(
            () ->
                new RegistryLimits(
                    v.integer(Setting.MAX_CONNECTIONS, 1, 10_000_000),
                    v.integer(Setting.MAX_CONNECTIONS_PER_USER, 1, 100_000),
                    v.integer(Setting.MAX_SUBSCRIPTIONS, 0, 100_000)))
        .ifPresent(b::registryLimits);
    v.combined(
            () ->
                new OutboxLimits(
                    v.integer(Setting.OUTBOUND_QUEUE_MESSAGES, 1, 10_000_000),
                    v.integer(Setting.OUTBOUND_QUEUE_BYTES, 1024, Integer.MAX_VALUE),
                    64 << 10))
        .ifPresent(b::outboxLimits);
    v.combined(
            () ->
                new HttpLimits(
                    v.integer(Setting.MAX_BODY_BYTES, 1024, 1 << 30),
                    v.integer(Setting.MAX_BATCH_BODY_BYTES, 1024, 1 << 30),
                    v.integer(Setting.MAX_BATCH_ITEMS, 1, 10_000),
                    v.list(Setting.CORS_ORIGINS)))
        .ifPresent(b::http);
    v.combined(
            () ->
                new RateLimits(
                    v.integer(Setting.HTTP_RATE_LIMIT_PER_SECOND, 0, 1_000_000),
                    v.integer(Setting.HTTP_RATE_LIMIT_BURST, 0, 1_000_000),
                    v.integer(Setting.CONNECTIONS_PER_MINUTE_PER_IP, 0, 1_000_000)))
        .ifPresent(b::rateLimits);
    v.combined(
            () ->
                new LoadLimits(
                    v.integer(Setting.HTTP_MAX_CONCURRENT_REQUESTS, 1, 1_000_000),
                    v.integer(Setting.HANDLER_LIMIT_INITIAL, 1, 1_000_000),
                    v.integer(Setting.HANDLER_LIMIT_MIN, 1, 1_000_000),
                    v.integer(Setting.HANDLER_LIMIT_MAX, 1, 1_000_000)))
        .ifPresent(b::loadLimits);
    v.combined(
            () ->
                new ConnectionLimits(
                    v.seconds(Setting.HEADER_TIMEOUT_SECONDS, 1),
                    v.seconds(Setting.BODY_TIMEOUT_SECONDS, 1),
                    v.seconds(Setting.IDLE_TIMEOUT_SECONDS, 1),
                    v.seconds(Setting.HANDSHAKE_TIMEOUT_SECONDS, 1),
                    v.integer(Setting.MAX_OPEN_SOCKETS, 0, 100_000_000)))
        .ifPresent(b::connectionLimits);
    v.combined(
            () ->
                new WebSocketCompression(
                    v.get(Setting.COMPRESSION, SettingValues::bool, "true or false"),
                    v.integer(Setting.COMPRESSION_MIN_BYTES, 0, Integer.MAX_VALUE)))
        .ifPresent(b::webSocketCompression);
    v.combined(
            () ->
                new DeliveryLimits(
                    v.integer(Setting.HISTORY_SIZE, 1, 1_000_000),
                    v.seconds(Setting.HISTORY_TTL_SECONDS, 1),
                    v.integer(Setting.HISTORY_MAX_CHANNELS, 1, 10_000_000),
                    v.integer(Setting.QUEUE_MAX_PER_USER, 1, 1_000_000),
                    v.seconds(Setting.QUEUE_TTL_SECONDS, 1),
                    v.integer(Setting.QUEUE_MAX_USERS, 1, 10_000_000),
                    v.seconds(Setting.ACK_TIMEOUT_SECONDS, 1),
                    v.integer(Setting.ACK_MAX_PENDING, 1, 100_000_000),
                    v.seconds(Setting.IDEMPOTENCY_TTL_SECONDS, 1),
                    v.integer(Setting.IDEMPOTENCY_MAX_KEYS, 1, 100_000_000)))
        .ifPresent(b::deliveryLimits);
    v.combined(
            () ->
                ServerConfig.keepalive(
                    RpcConfig.builder()
                        .maxMessageBytes(v.integer(Setting.MAX_MESSAGE_BYTES, 1024, 64 << 20))
                        .messageRate(
                            v.integer(Setting.MESSAGES_PER_SECOND, 0, 1_000_000),
                            v.integer(Setting.MESSAGE_BURST, 0, 1_000_000))
                        .maxRefusedMessages(v.integer(Setting.MAX_REFUSED_MESSAGES, 1, 1_000_000))
                        .build(),
                    v.seconds(Setting.PING_INTERVAL_SECONDS, 0),
                    v.seconds(Setting.STALE_TIMEOUT_SECONDS, 1)))
        .ifPresent(b::rpc);
    if (v.text(Setting.API_KEY).isPresent()) {
      v.attempt(Setting.API_KEY, ApiKey::of, "at least 16 characters").ifPresent(b::apiKey);
    }
    if (v.text(Setting.ADMIN_TOKEN).isPresent()) {
      v.attempt(Setting.ADMIN_TOKEN, AdminAccess::token, "at least 16 characters")
          .ifPresent(b::adminToken);
    }
    v.attempt(
            Setting.TENANT_API_KEYS,
            t -> SettingValues.perTenant(t, ApiKey::of),
            "tenant=key pairs, comma-separated: a tenant id of 1-64 [A-Za-z0-9_-], a key of at"
                + " least 16 characters")
        .ifPresent(keys -> keys.forEach(b::tenantApiKey));
    Map<Tenant, TenantLimits> limits = new java.util.LinkedHashMap<>();
    String counts =
        "tenant=N pairs, comma-separated: a tenant id of 1-64 [A-Za-z0-9_-], N from 1 to 10000000";
    tenantLimit(Setting.TENANT_MAX_CONNECTIONS, counts, limits, TenantLimits::withMaxConnections);
    tenantLimit(
        Setting.TENANT_MAX_CONNECTIONS_PER_USER,
        counts,
        limits,
        TenantLimits::withMaxConnectionsPerUser);
    limits.forEach(b::tenantLimits);
    jwt().ifPresent(b::jwt);
    observability().ifPresent(b::observability);
    cluster().ifPresent(b::cluster);
    webTransport().ifPresent(b::webTransport);
    if (v.errorCount() > 0) {
      throw new ConfigException(v.errors());
    }
    try {
      return b.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ConfigException(List.of(e.getMessage()));
    }
  }

  /** {@code webtransport.*}; empty when unset (the mode's default) or invalid (an error). */
  private Optional<WebTransportOptions> webTransport() {
    Optional<String> port = v.text(Setting.WEBTRANSPORT_PORT).map(String::trim);
    Optional<String> chain = v.text(Setting.WEBTRANSPORT_CERTIFICATE).map(String::trim);
    Optional<String> key = v.text(Setting.WEBTRANSPORT_PRIVATE_KEY).map(String::trim);
    if (port.isEmpty() && chain.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (port.filter("off"::equalsIgnoreCase).isPresent()) {
      return Optional.of(WebTransportOptions.OFF);
    }
    Optional<Integer> number =
        port.isEmpty()
            ? Optional.of(0)
            : v.attempt(
                Setting.WEBTRANSPORT_PORT,
                t -> {
                  int n = Integer.parseInt(t.trim());
                  if (n < 0 || n > 65_535) {
                    throw new IllegalArgumentException("out of range");
                  }
                  return n;
                },
                "a UDP port from 0 (the HTTP port's number) to 65535, or off");
    if (chain.isPresent() != key.isPresent()) {
      v.error(
          "webtransport.certificate and webtransport.private_key go together: give both or none");
      return Optional.empty();
    }
    for (Setting file :
        List.of(Setting.WEBTRANSPORT_CERTIFICATE, Setting.WEBTRANSPORT_PRIVATE_KEY)) {
      v.text(file)
          .filter(f -> !Files.isReadable(Path.of(f.trim())))
          .ifPresent(f -> v.error("invalid " + file.key() + ": cannot read " + f.trim()));
    }
    if (number.isEmpty()) {
      return Optional.empty();
    }
    WebTransportOptions options = WebTransportOptions.DEVELOPMENT.withPort(number.get());
    return Optional.of(
        chain.isPresent()
            ? options.withCertificate(Path.of(chain.get()), Path.of(key.get()))
            : options);
  }

  /** {@code redis.url} and {@code cluster.*}. */
  private Optional<ClusterSettings> cluster() {
    Optional<Optional<String>> url =
        v.text(Setting.REDIS_URL).isEmpty()
            ? Optional.of(Optional.empty())
            : v.attempt(
                Setting.REDIS_URL,
                t -> {
                  RedisSettings.parse(t.trim());
                  return Optional.of(t.trim());
                },
                "redis://[user:password@]host:port[/db] or rediss://...");
    Optional<Optional<String>> node =
        v.text(Setting.CLUSTER_NODE_ID).isEmpty()
            ? Optional.of(Optional.empty())
            : v.attempt(
                Setting.CLUSTER_NODE_ID,
                t -> Optional.of(RedisSettings.checkNodeId(t)),
                "1 to 128 characters without spaces");
    Optional<List<String>> resources =
        v.attempt(
            Setting.CLUSTER_RESOURCES,
            t -> {
              List<String> tags = v.list(Setting.CLUSTER_RESOURCES);
              tags.forEach(dev.switchboard.cluster.Offer::checkResource);
              return tags;
            },
            "tags of 1 to 128 characters without spaces, comma-separated");
    Optional<Optional<String>> address =
        v.text(Setting.CLUSTER_ADDRESS).isEmpty()
            ? Optional.of(Optional.empty())
            : v.attempt(
                Setting.CLUSTER_ADDRESS,
                t -> {
                  java.net.URI uri = java.net.URI.create(t.trim());
                  if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())
                      || uri.getHost() == null) {
                    throw new IllegalArgumentException("not a ws:// or wss:// URI with a host");
                  }
                  return Optional.of(t.trim());
                },
                "ws://host:port/ws or wss://...");
    if (url.isEmpty() || node.isEmpty() || resources.isEmpty() || address.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ClusterSettings(url.get(), node.get(), resources.get(), address.get()));
  }

  /** {@code metrics.*}, {@code logging.*}, {@code tracing.*} and the {@code OTEL_*} variables. */
  private Optional<Observability> observability() {
    Optional<Boolean> metrics =
        v.attempt(Setting.METRICS_ENABLED, SettingValues::bool, "true or false");
    Optional<Observability.LogFormat> format =
        v.attempt(Setting.LOGGING_FORMAT, Observability.LogFormat::parse, "text or json");
    Optional<Boolean> tracing =
        v.attempt(Setting.TRACING_ENABLED, SettingValues::bool, "true or false");
    Optional<java.util.OptionalDouble> ratio =
        v.text(Setting.TRACING_SAMPLING_RATIO).isEmpty()
            ? Optional.of(java.util.OptionalDouble.empty())
            : v.attempt(
                Setting.TRACING_SAMPLING_RATIO,
                t ->
                    java.util.OptionalDouble.of(
                        Observability.Tracing.checkRatio(Double.parseDouble(t.trim()))),
                "a number from 0 to 1");
    if (metrics.isEmpty() || format.isEmpty() || tracing.isEmpty() || ratio.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Observability(
            metrics.get(),
            format.get(),
            new Observability.Tracing(tracing.get(), ratio.get(), v.otelEnvironment())));
  }

  /** The JWT settings, when a key is set; each invalid one is reported and leaves it out. */
  private Optional<JwtConfig> jwt() {
    Optional<String> secret = v.text(Setting.JWT_SECRET);
    Optional<String> pem = v.text(Setting.JWT_PUBLIC_KEY);
    Optional<String> jwks = v.text(Setting.JWT_JWKS_URL);
    if (secret.isEmpty() && pem.isEmpty() && jwks.isEmpty()) {
      return Optional.empty();
    }
    int before = v.errorCount();
    JwtConfig.Builder jwt =
        JwtConfig.builder()
            .leeway(v.seconds(Setting.JWT_LEEWAY_SECONDS, 0))
            .jwksRefresh(v.seconds(Setting.JWT_JWKS_REFRESH_SECONDS, 1));
    // The builder's own messages name the setting and never echo a secret.
    secret.ifPresent(v -> jwtStep(() -> jwt.secret(v)));
    pem.ifPresent(v -> jwtStep(() -> jwt.publicKeyPem(v)));
    if (jwks.isPresent()) {
      v.attempt(Setting.JWT_JWKS_URL, URI::create, "an http(s) URL")
          .ifPresent(url -> jwtStep(() -> jwt.jwksUrl(url)));
    }
    v.text(Setting.JWT_ISSUER).ifPresent(v -> jwtStep(() -> jwt.issuer(v)));
    v.text(Setting.JWT_AUDIENCE).ifPresent(v -> jwtStep(() -> jwt.audience(v)));
    List<String> algorithms = v.list(Setting.JWT_ALGORITHMS);
    if (!algorithms.isEmpty()) {
      jwtStep(() -> jwt.algorithms(new LinkedHashSet<>(algorithms)));
    }
    if (v.errorCount() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(jwt.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      v.error("invalid JWT settings: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Runs one step of the JWT builder, reporting what it refuses. */
  private void jwtStep(Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      v.error("invalid JWT settings: " + e.getMessage());
    }
  }
}
