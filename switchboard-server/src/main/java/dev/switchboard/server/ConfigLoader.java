package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.switchboard.auth.ApiKey;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.gateway.TenantLimits;
import dev.switchboard.redis.RedisSettings;
import dev.switchboard.rpc.RpcConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the server's configuration from three layers, each overriding the one before: a TOML file
 * ({@code --config}), environment variables ({@code SWITCHBOARD_...}, see {@link Setting}) and
 * command-line flags. Values that do not parse or are out of range, and unknown keys, stop start-up
 * with one {@link ConfigException} that reports every one of them, a line each, naming the key,
 * where the value came from, the value, and what is allowed. How valid values combine (production
 * mode's keys, limits that must be ordered) is checked once every value is valid.
 */
final class ConfigLoader {

  private final Map<Setting, Value> values = new EnumMap<>(Setting.class);
  private final Map<String, String> otelEnvironment = new java.util.TreeMap<>();

  /** Every problem found so far, one line each. */
  private final List<String> errors = new ArrayList<>();

  /** One value and where it came from ("config.toml", "SWITCHBOARD_PORT", "--port"). */
  private record Value(String text, String source) {}

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
    ConfigLoader loader = new ConfigLoader();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            loader.otelEnvironment.put(name, value);
          }
        });
    file.ifPresent(loader::readToml);
    for (Setting s : Setting.values()) {
      String fromEnv = environment.get(s.environmentVariable());
      String name = s.environmentVariable();
      if (fromEnv == null && s.alias().isPresent()) {
        fromEnv = environment.get(s.alias().get());
        name = s.alias().get();
      }
      if (fromEnv != null) {
        loader.values.put(s, new Value(fromEnv, name));
      }
    }
    flags.forEach(
        (key, text) ->
            Setting.byKey(key)
                .ifPresentOrElse(
                    setting -> loader.values.put(setting, new Value(text, flag(key))),
                    () ->
                        loader.errors.add(
                            "unknown setting \""
                                + key
                                + "\" on the command line (--set "
                                + key
                                + "=...); known settings: "
                                + known())));
    return loader.build();
  }

  /** How the command line names {@code key}: its own option, or {@code --set}. */
  private static String flag(String key) {
    return switch (key) {
      case "mode", "host", "port" -> "--" + key;
      default -> "--set " + key;
    };
  }

  private void readToml(Path file) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      errors.add("cannot read config file " + file + ": " + e.getMessage());
      return;
    }
    flatten("", root, file.toString());
  }

  private void flatten(String prefix, JsonNode node, String source) {
    node.properties()
        .forEach(
            field -> {
              String key = prefix + field.getKey();
              JsonNode value = field.getValue();
              if (value.isObject()) {
                flatten(key + ".", value, source);
                return;
              }
              Optional<Setting> setting = Setting.byKey(key);
              if (setting.isEmpty()) {
                errors.add(
                    "unknown setting \""
                        + key
                        + "\" in "
                        + source
                        + "; known settings: "
                        + known());
                return;
              }
              String text = value.isArray() ? joined(value) : value.asText();
              values.put(setting.get(), new Value(text, source));
            });
  }

  private static String joined(JsonNode array) {
    return String.join(
        ",",
        java.util.stream.StreamSupport.stream(array.spliterator(), false)
            .map(JsonNode::asText)
            .toList());
  }

  private static String known() {
    return String.join(", ", Arrays.stream(Setting.values()).map(Setting::key).toList());
  }

  /** Reads {@code setting}'s tenant=N pairs into {@code limits}, each through {@code with}. */
  private void tenantLimit(
      Setting setting,
      String allowed,
      Map<Tenant, TenantLimits> limits,
      BiFunction<TenantLimits, Integer, TenantLimits> with) {
    attempt(setting, t -> perTenant(t, ConfigLoader::count), allowed)
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
            .mode(get(Setting.MODE, Mode::parse, "development or production"))
            .host(text(Setting.HOST).orElse("0.0.0.0"))
            .port(integer(Setting.PORT, 0, 65535))
            .defaultProtocol(get(Setting.DEFAULT_PROTOCOL, DeviceProtocol::parse, "jsonrpc or ara"))
            .sseHeartbeat(seconds(Setting.SSE_HEARTBEAT_SECONDS, 1))
            .templatesMaxCount(integer(Setting.TEMPLATES_MAX_COUNT, 1, 1_000_000))
            .drainTimeout(seconds(Setting.DRAIN_TIMEOUT_SECONDS, 0))
            .reconnectAfter(seconds(Setting.RECONNECT_AFTER_SECONDS, 0));
    // Each group is checked whole (a minimum above its maximum...), and reported on its own.
    combined(
            () ->
                new RegistryLimits(
                    integer(Setting.MAX_CONNECTIONS, 1, 10_000_000),
                    integer(Setting.MAX_CONNECTIONS_PER_USER, 1, 100_000),
                    integer(Setting.MAX_SUBSCRIPTIONS, 0, 100_000)))
        .ifPresent(b::registryLimits);
    combined(
            () ->
                new OutboxLimits(
                    integer(Setting.OUTBOUND_QUEUE_MESSAGES, 1, 10_000_000),
                    integer(Setting.OUTBOUND_QUEUE_BYTES, 1024, Integer.MAX_VALUE),
                    64 << 10))
        .ifPresent(b::outboxLimits);
    combined(
            () ->
                new HttpLimits(
                    integer(Setting.MAX_BODY_BYTES, 1024, 1 << 30),
                    integer(Setting.MAX_BATCH_BODY_BYTES, 1024, 1 << 30),
                    integer(Setting.MAX_BATCH_ITEMS, 1, 10_000),
                    list(Setting.CORS_ORIGINS)))
        .ifPresent(b::http);
    combined(
            () ->
                new RateLimits(
                    integer(Setting.HTTP_RATE_LIMIT_PER_SECOND, 0, 1_000_000),
                    integer(Setting.HTTP_RATE_LIMIT_BURST, 0, 1_000_000),
                    integer(Setting.CONNECTIONS_PER_MINUTE_PER_IP, 0, 1_000_000)))
        .ifPresent(b::rateLimits);
    combined(
            () ->
                new LoadLimits(
                    integer(Setting.HTTP_MAX_CONCURRENT_REQUESTS, 1, 1_000_000),
                    integer(Setting.HANDLER_LIMIT_INITIAL, 1, 1_000_000),
                    integer(Setting.HANDLER_LIMIT_MIN, 1, 1_000_000),
                    integer(Setting.HANDLER_LIMIT_MAX, 1, 1_000_000)))
        .ifPresent(b::loadLimits);
    combined(
            () ->
                new ConnectionLimits(
                    seconds(Setting.HEADER_TIMEOUT_SECONDS, 1),
                    seconds(Setting.BODY_TIMEOUT_SECONDS, 1),
                    seconds(Setting.IDLE_TIMEOUT_SECONDS, 1),
                    seconds(Setting.HANDSHAKE_TIMEOUT_SECONDS, 1),
                    integer(Setting.MAX_OPEN_SOCKETS, 0, 100_000_000)))
        .ifPresent(b::connectionLimits);
    combined(
            () ->
                new WebSocketCompression(
                    get(Setting.COMPRESSION, ConfigLoader::bool, "true or false"),
                    integer(Setting.COMPRESSION_MIN_BYTES, 0, Integer.MAX_VALUE)))
        .ifPresent(b::webSocketCompression);
    combined(
            () ->
                new DeliveryLimits(
                    integer(Setting.HISTORY_SIZE, 1, 1_000_000),
                    seconds(Setting.HISTORY_TTL_SECONDS, 1),
                    integer(Setting.HISTORY_MAX_CHANNELS, 1, 10_000_000),
                    integer(Setting.QUEUE_MAX_PER_USER, 1, 1_000_000),
                    seconds(Setting.QUEUE_TTL_SECONDS, 1),
                    integer(Setting.QUEUE_MAX_USERS, 1, 10_000_000),
                    seconds(Setting.ACK_TIMEOUT_SECONDS, 1),
                    integer(Setting.ACK_MAX_PENDING, 1, 100_000_000),
                    seconds(Setting.IDEMPOTENCY_TTL_SECONDS, 1),
                    integer(Setting.IDEMPOTENCY_MAX_KEYS, 1, 100_000_000)))
        .ifPresent(b::deliveryLimits);
    combined(
            () ->
                ServerConfig.keepalive(
                    RpcConfig.builder()
                        .maxMessageBytes(integer(Setting.MAX_MESSAGE_BYTES, 1024, 64 << 20))
                        .messageRate(
                            integer(Setting.MESSAGES_PER_SECOND, 0, 1_000_000),
                            integer(Setting.MESSAGE_BURST, 0, 1_000_000))
                        .maxRefusedMessages(integer(Setting.MAX_REFUSED_MESSAGES, 1, 1_000_000))
                        .build(),
                    seconds(Setting.PING_INTERVAL_SECONDS, 0),
                    seconds(Setting.STALE_TIMEOUT_SECONDS, 1)))
        .ifPresent(b::rpc);
    if (text(Setting.API_KEY).isPresent()) {
      attempt(Setting.API_KEY, ApiKey::of, "at least 16 characters").ifPresent(b::apiKey);
    }
    attempt(
            Setting.TENANT_API_KEYS,
            t -> perTenant(t, ApiKey::of),
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
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    try {
      return b.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ConfigException(List.of(e.getMessage()));
    }
  }

  /** {@code webtransport.*}; empty when unset (the mode's default) or invalid (an error). */
  private Optional<WebTransportOptions> webTransport() {
    Optional<String> port = text(Setting.WEBTRANSPORT_PORT).map(String::trim);
    Optional<String> chain = text(Setting.WEBTRANSPORT_CERTIFICATE).map(String::trim);
    Optional<String> key = text(Setting.WEBTRANSPORT_PRIVATE_KEY).map(String::trim);
    if (port.isEmpty() && chain.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (port.filter("off"::equalsIgnoreCase).isPresent()) {
      return Optional.of(WebTransportOptions.OFF);
    }
    Optional<Integer> number =
        port.isEmpty()
            ? Optional.of(0)
            : attempt(
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
      errors.add(
          "webtransport.certificate and webtransport.private_key go together: give both or none");
      return Optional.empty();
    }
    for (Setting file :
        List.of(Setting.WEBTRANSPORT_CERTIFICATE, Setting.WEBTRANSPORT_PRIVATE_KEY)) {
      text(file)
          .filter(f -> !Files.isReadable(Path.of(f.trim())))
          .ifPresent(f -> errors.add("invalid " + file.key() + ": cannot read " + f.trim()));
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
        text(Setting.REDIS_URL).isEmpty()
            ? Optional.of(Optional.empty())
            : attempt(
                Setting.REDIS_URL,
                t -> {
                  RedisSettings.parse(t.trim());
                  return Optional.of(t.trim());
                },
                "redis://[user:password@]host:port[/db] or rediss://...");
    Optional<Optional<String>> node =
        text(Setting.CLUSTER_NODE_ID).isEmpty()
            ? Optional.of(Optional.empty())
            : attempt(
                Setting.CLUSTER_NODE_ID,
                t -> Optional.of(RedisSettings.checkNodeId(t)),
                "1 to 128 characters without spaces");
    Optional<List<String>> resources =
        attempt(
            Setting.CLUSTER_RESOURCES,
            t -> {
              List<String> tags = list(Setting.CLUSTER_RESOURCES);
              tags.forEach(dev.switchboard.cluster.Offer::checkResource);
              return tags;
            },
            "tags of 1 to 128 characters without spaces, comma-separated");
    Optional<Optional<String>> address =
        text(Setting.CLUSTER_ADDRESS).isEmpty()
            ? Optional.of(Optional.empty())
            : attempt(
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
        attempt(Setting.METRICS_ENABLED, ConfigLoader::bool, "true or false");
    Optional<Observability.LogFormat> format =
        attempt(Setting.LOGGING_FORMAT, Observability.LogFormat::parse, "text or json");
    Optional<Boolean> tracing =
        attempt(Setting.TRACING_ENABLED, ConfigLoader::bool, "true or false");
    Optional<java.util.OptionalDouble> ratio =
        text(Setting.TRACING_SAMPLING_RATIO).isEmpty()
            ? Optional.of(java.util.OptionalDouble.empty())
            : attempt(
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
            new Observability.Tracing(tracing.get(), ratio.get(), otelEnvironment)));
  }

  /** What {@code group} builds; empty, with its problem reported, when it refuses the values. */
  private <T> Optional<T> combined(Supplier<T> group) {
    try {
      return Optional.of(group.get());
    } catch (IllegalArgumentException | IllegalStateException e) {
      errors.add(e.getMessage());
      return Optional.empty();
    }
  }

  /** The JWT settings, when a key is set; each invalid one is reported and leaves it out. */
  private Optional<JwtConfig> jwt() {
    Optional<String> secret = text(Setting.JWT_SECRET);
    Optional<String> pem = text(Setting.JWT_PUBLIC_KEY);
    Optional<String> jwks = text(Setting.JWT_JWKS_URL);
    if (secret.isEmpty() && pem.isEmpty() && jwks.isEmpty()) {
      return Optional.empty();
    }
    int before = errors.size();
    JwtConfig.Builder jwt =
        JwtConfig.builder()
            .leeway(seconds(Setting.JWT_LEEWAY_SECONDS, 0))
            .jwksRefresh(seconds(Setting.JWT_JWKS_REFRESH_SECONDS, 1));
    // The builder's own messages name the setting and never echo a secret.
    secret.ifPresent(v -> jwtStep(() -> jwt.secret(v)));
    pem.ifPresent(v -> jwtStep(() -> jwt.publicKeyPem(v)));
    if (jwks.isPresent()) {
      attempt(Setting.JWT_JWKS_URL, URI::create, "an http(s) URL")
          .ifPresent(url -> jwtStep(() -> jwt.jwksUrl(url)));
    }
    text(Setting.JWT_ISSUER).ifPresent(v -> jwtStep(() -> jwt.issuer(v)));
    text(Setting.JWT_AUDIENCE).ifPresent(v -> jwtStep(() -> jwt.audience(v)));
    List<String> algorithms = list(Setting.JWT_ALGORITHMS);
    if (!algorithms.isEmpty()) {
      jwtStep(() -> jwt.algorithms(new LinkedHashSet<>(algorithms)));
    }
    if (errors.size() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(jwt.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      errors.add("invalid JWT settings: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Runs one step of the JWT builder, reporting what it refuses. */
  private void jwtStep(Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      errors.add("invalid JWT settings: " + e.getMessage());
    }
  }

  private Optional<String> text(Setting s) {
    Value v = values.get(s);
    String text = v == null ? s.defaultValue() : v.text().trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /**
   * {@code s}'s value, parsed; when it does not parse, the problem is reported and the default's
   * value stands in, so that the other settings are still checked.
   */
  private <T> T get(Setting s, Function<String, T> parse, String allowed) {
    return attempt(s, parse, allowed).orElseGet(() -> parse.apply(s.defaultValue()));
  }

  /** {@code s}'s value, parsed; empty, with the problem reported, when it does not parse. */
  private <T> Optional<T> attempt(Setting s, Function<String, T> parse, String allowed) {
    String text = text(s).orElse(s.defaultValue());
    try {
      return Optional.of(parse.apply(text));
    } catch (RuntimeException e) {
      Value v = values.get(s);
      String from = v == null ? "the default" : v.source();
      // A secret is never echoed back.
      String shown =
          s == Setting.API_KEY || s == Setting.JWT_SECRET || s == Setting.TENANT_API_KEYS
              ? "(hidden, " + text.length() + " characters)"
              : "\"" + (s == Setting.REDIS_URL ? RedisSettings.redact(text) : text) + "\"";
      errors.add(
          "invalid "
              + s.key()
              + " from "
              + from
              + ": "
              + shown
              + "; allowed: "
              + allowed
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
      return Optional.empty();
    }
  }

  private int integer(Setting s, int min, int max) {
    return get(
        s,
        text -> {
          long n = Long.parseLong(text);
          if (n < min || n > max) {
            throw new IllegalArgumentException("out of range");
          }
          return (int) n;
        },
        "a whole number from " + min + " to " + max);
  }

  private static boolean bool(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }

  private Duration seconds(Setting s, int min) {
    return Duration.ofSeconds(integer(s, min, 86_400 * 365));
  }

  /**
   * {@code tenant=value,...} with each value parsed by {@code parse}.
   *
   * @throws IllegalArgumentException naming the pair that is not one
   */
  static <T> Map<Tenant, T> perTenant(String text, Function<String, T> parse) {
    Map<Tenant, T> out = new java.util.LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int at = pair.indexOf('=');
      if (at < 0) {
        throw new IllegalArgumentException("not tenant=value");
      }
      Tenant tenant = new Tenant(pair.substring(0, at).trim());
      if (out.put(tenant, parse.apply(pair.substring(at + 1).trim())) != null) {
        throw new IllegalArgumentException("tenant " + tenant.id() + " is named twice");
      }
    }
    return out;
  }

  private static int count(String text) {
    long n = Long.parseLong(text);
    if (n < 1 || n > 10_000_000) {
      throw new IllegalArgumentException("out of range");
    }
    return (int) n;
  }

  private List<String> list(Setting s) {
    return text(s)
        .map(t -> Arrays.stream(t.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }
}
