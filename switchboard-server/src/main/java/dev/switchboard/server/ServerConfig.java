package dev.switchboard.server;

import dev.switchboard.auth.ApiKey;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.cluster.ClusterFunction;
import dev.switchboard.cluster.Offer;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.gateway.TenantLimits;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server needs to run. Immutable; build with {@link #builder()}; {@code
 * docs/configuration.md} lists every setting with its default and its TOML/environment name. {@link
 * Builder#build()} refuses production mode without a JWT key and an API key.
 */
public final class ServerConfig {

  private final String host;
  private final int port;
  private final Mode mode;
  private final RpcMethods methods;
  private final Map<String, InProcessFunction> clusterFunctions;
  private final WebTransportOptions webTransport;
  private final Optional<WebTransportApplication> webTransportApplication;
  private final RpcConfig rpc;
  private final Optional<JwtConfig> jwt;
  private final Optional<ApiKey> apiKey;
  private final Optional<ApiKey> adminToken;
  private final Map<Tenant, ApiKey> tenantApiKeys;
  private final Map<Tenant, TenantLimits> tenantLimits;
  private final RegistryLimits registryLimits;
  private final OutboxLimits outboxLimits;
  private final HttpLimits http;
  private final RateLimits rateLimits;
  private final LoadLimits loadLimits;
  private final ConnectionLimits connectionLimits;
  private final WebSocketCompression webSocketCompression;
  private final DeviceProtocol defaultProtocol;
  private final Duration drainTimeout;
  private final Duration reconnectAfter;
  private final DeliveryLimits deliveryLimits;
  private final Duration sseHeartbeat;
  private final int templatesMaxCount;
  private final Observability observability;
  private final ClusterSettings cluster;

  private ServerConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.mode = b.mode;
    this.methods = b.methods;
    this.clusterFunctions = Map.copyOf(b.clusterFunctions);
    this.webTransportApplication = b.webTransportApplication;
    this.webTransport =
        b.webTransport.orElse(
            b.mode == Mode.DEVELOPMENT ? WebTransportOptions.DEVELOPMENT : WebTransportOptions.OFF);
    this.jwt = b.jwt;
    this.apiKey = b.apiKey;
    this.adminToken = b.adminToken;
    this.tenantApiKeys = Map.copyOf(b.tenantApiKeys);
    this.tenantLimits = Map.copyOf(b.tenantLimits);
    this.registryLimits = b.registryLimits;
    this.outboxLimits = b.outboxLimits;
    this.http = b.http;
    this.rateLimits = b.rateLimits;
    this.loadLimits = b.loadLimits;
    this.connectionLimits = b.connectionLimits;
    this.webSocketCompression = b.webSocketCompression;
    this.defaultProtocol = b.defaultProtocol;
    this.drainTimeout = b.drainTimeout;
    this.deliveryLimits = b.deliveryLimits;
    this.sseHeartbeat = b.sseHeartbeat;
    this.templatesMaxCount = b.templatesMaxCount;
    this.observability = b.observability;
    this.cluster = b.cluster;
    this.reconnectAfter = b.reconnectAfter;
    this.rpc = b.rpc;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  /** The port; 0 picks a free one (see {@link SwitchboardServer#port()}). */
  public int port() {
    return port;
  }

  public Mode mode() {
    return mode;
  }

  public boolean development() {
    return mode == Mode.DEVELOPMENT;
  }

  /**
   * The application's own RPC methods, offered on every connection beside
   * subscribe/unsubscribe/ping.
   */
  public RpcMethods methods() {
    return methods;
  }

  /**
   * The functions this node provides in-process to {@code cluster.call}, by name, each with the
   * node's {@code cluster.resources}. Default: none.
   */
  public Map<String, InProcessFunction> clusterFunctions() {
    return clusterFunctions;
  }

  /** Where WebTransport listens and with which certificate ({@code webtransport.*}). */
  public WebTransportOptions webTransport() {
    return webTransport;
  }

  /** The application told of each WebTransport device; empty: the demo or nothing. */
  public Optional<WebTransportApplication> webTransportApplication() {
    return webTransportApplication;
  }

  /**
   * A function served in-process to the cluster.
   *
   * @param function what runs, on a virtual thread
   * @param idempotent running it twice does no harm: a call whose node dies is tried elsewhere
   * @param nonBlocking it neither blocks nor runs long, so it runs on the thread that routed the
   *     command (an event loop) instead of a virtual thread of its own
   */
  public record InProcessFunction(
      ClusterFunction function, boolean idempotent, boolean nonBlocking) {
    public InProcessFunction {
      Objects.requireNonNull(function, "function");
    }
  }

  /**
   * Per-connection RPC settings. Default: {@link RpcConfig#defaults()} with the push keepalive of
   * {@link #keepalive}: a ping every 30 s, and a device silent for about 120 s closed (1001).
   */
  public RpcConfig rpc() {
    return rpc;
  }

  /** How device tokens are checked; empty: devices connect anonymously (development mode only). */
  public Optional<JwtConfig> jwt() {
    return jwt;
  }

  /**
   * The key the HTTP API requires in {@code X-API-Key}; empty: none required (development mode
   * only).
   */
  public Optional<ApiKey> apiKey() {
    return apiKey;
  }

  /**
   * The token the admin page ({@code /admin}) asks for ({@code admin.token}). Empty: the page is
   * open in development mode and off (404) in production.
   */
  public Optional<ApiKey> adminToken() {
    return adminToken;
  }

  /**
   * API keys bound to one tenant each ({@code tenants.api_keys}): such a key reaches its tenant
   * alone. Empty by default.
   */
  public Map<Tenant, ApiKey> tenantApiKeys() {
    return tenantApiKeys;
  }

  /** The ids of the tenants the configuration names ({@code tenants.*}). */
  public java.util.Set<String> tenants() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    tenantApiKeys.keySet().forEach(t -> out.add(t.id()));
    tenantLimits.keySet().forEach(t -> out.add(t.id()));
    return out;
  }

  /**
   * Tenants' own connection limits ({@code tenants.max_connections}, {@code
   * tenants.max_connections_per_user}), overriding {@link #registryLimits()}' for them.
   */
  public Map<Tenant, TenantLimits> tenantLimits() {
    return tenantLimits;
  }

  public RegistryLimits registryLimits() {
    return registryLimits;
  }

  public OutboxLimits outboxLimits() {
    return outboxLimits;
  }

  public HttpLimits http() {
    return http;
  }

  /**
   * Rate limits of the HTTP API and of WebSocket upgrades. Default here: {@link RateLimits#OFF};
   * {@code switchboard serve} uses {@link RateLimits#SERVE_DEFAULTS} unless configured.
   */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /**
   * When the server sheds load: HTTP API requests and RPC handlers at once. Default {@link
   * LoadLimits#DEFAULTS}.
   */
  public LoadLimits loadLimits() {
    return loadLimits;
  }

  /**
   * Timeouts of idle and slow connections, and the cap on open sockets. Default {@link
   * ConnectionLimits#DEFAULTS}.
   */
  public ConnectionLimits connectionLimits() {
    return connectionLimits;
  }

  /** permessage-deflate for devices that offer it; default {@link WebSocketCompression#OFF}. */
  public WebSocketCompression webSocketCompression() {
    return webSocketCompression;
  }

  /**
   * What a WebSocket device speaks when its handshake names no protocol ({@code ?protocol=} or the
   * subprotocol); default {@link DeviceProtocol#JSONRPC}. An Ara fleet sets {@link
   * DeviceProtocol#ARA}.
   */
  public DeviceProtocol defaultProtocol() {
    return defaultProtocol;
  }

  /**
   * {@code rpc} with WebSocket pings every {@code pingInterval} (0: none) and a device closed once
   * it has been silent for {@code staleTimeout}: that many ping intervals in a row without a pong
   * or a message.
   */
  public static RpcConfig keepalive(RpcConfig rpc, Duration pingInterval, Duration staleTimeout) {
    if (pingInterval.isNegative() || staleTimeout.isNegative() || staleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "ping interval must be >= 0 and stale timeout > 0, got "
              + pingInterval.toSeconds()
              + " s and "
              + staleTimeout.toSeconds()
              + " s");
    }
    int missed =
        pingInterval.isZero()
            ? 1
            : (int) Math.max(1, Math.ceilDiv(staleTimeout.toMillis(), pingInterval.toMillis()));
    return rpc.toBuilder().pingInterval(pingInterval).maxMissedPings(missed).build();
  }

  /**
   * What the delivery store keeps: channel histories, user inboxes, ACKs, idempotency keys (default
   * {@link DeliveryLimits#DEFAULTS}).
   */
  public DeliveryLimits deliveryLimits() {
    return deliveryLimits;
  }

  /**
   * The most notification templates the server keeps ({@code templates.max_count}, default 1000);
   * creating another is refused.
   */
  public int templatesMaxCount() {
    return templatesMaxCount;
  }

  /** Metrics, traces and the log format. */
  public Observability observability() {
    return observability;
  }

  /** The Redis engine's settings, when this node is one of a cluster. */
  public ClusterSettings cluster() {
    return cluster;
  }

  /** How often an SSE stream gets a {@code heartbeat} event (default 30 s). */
  public Duration sseHeartbeat() {
    return sseHeartbeat;
  }

  /** How long shutdown waits for outbound queues to drain (default 10 s). */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /**
   * What the {@code shutdown} notification tells devices to wait before reconnecting (default 5 s).
   */
  public Duration reconnectAfter() {
    return reconnectAfter;
  }

  /** Builds a {@link ServerConfig}. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private Mode mode = Mode.DEVELOPMENT;
    private RpcMethods methods = RpcMethods.empty();
    private final Map<String, InProcessFunction> clusterFunctions = new java.util.LinkedHashMap<>();
    private RpcConfig rpc =
        keepalive(RpcConfig.defaults(), Duration.ofSeconds(30), Duration.ofSeconds(120));
    private Optional<JwtConfig> jwt = Optional.empty();
    private Optional<ApiKey> apiKey = Optional.empty();
    private Optional<ApiKey> adminToken = Optional.empty();
    private final Map<Tenant, ApiKey> tenantApiKeys = new java.util.LinkedHashMap<>();
    private final Map<Tenant, TenantLimits> tenantLimits = new java.util.LinkedHashMap<>();
    private RegistryLimits registryLimits = RegistryLimits.DEFAULTS;
    private OutboxLimits outboxLimits = OutboxLimits.DEFAULTS;
    private HttpLimits http = HttpLimits.DEFAULTS;
    private RateLimits rateLimits = RateLimits.OFF;
    private LoadLimits loadLimits = LoadLimits.DEFAULTS;
    private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
    private WebSocketCompression webSocketCompression = WebSocketCompression.OFF;
    private DeviceProtocol defaultProtocol = DeviceProtocol.JSONRPC;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration reconnectAfter = Duration.ofSeconds(5);
    private DeliveryLimits deliveryLimits = DeliveryLimits.DEFAULTS;
    private Duration sseHeartbeat = Duration.ofSeconds(30);
    private int templatesMaxCount = 1000;
    private Observability observability = Observability.DEFAULTS;
    private ClusterSettings cluster = ClusterSettings.SINGLE_NODE;
    private Optional<WebTransportOptions> webTransport = Optional.empty();
    private Optional<WebTransportApplication> webTransportApplication = Optional.empty();

    private Builder() {}

    /**
     * The application that takes each WebTransport device's own streams and datagrams (see {@link
     * WebTransportApplication}). Default: none (development: the demo echo).
     */
    public Builder webTransportApplication(WebTransportApplication value) {
      webTransportApplication =
          Optional.of(Objects.requireNonNull(value, "webTransportApplication"));
      return this;
    }

    /**
     * WebTransport's port and certificate. Default: on the HTTP port's number with a generated
     * certificate in development mode, off in production.
     */
    public Builder webTransport(WebTransportOptions value) {
      webTransport = Optional.of(Objects.requireNonNull(value, "webTransport"));
      return this;
    }

    /** The Redis engine's settings (default: none, one node in memory). */
    public Builder cluster(ClusterSettings value) {
      cluster = Objects.requireNonNull(value, "cluster");
      return this;
    }

    /** The most notification templates kept (default 1000). */
    public Builder templatesMaxCount(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("templates.max_count must be at least 1, got " + value);
      }
      templatesMaxCount = value;
      return this;
    }

    public Builder observability(Observability value) {
      observability = Objects.requireNonNull(value, "observability");
      return this;
    }

    public Builder deliveryLimits(DeliveryLimits value) {
      deliveryLimits = Objects.requireNonNull(value, "deliveryLimits");
      return this;
    }

    public Builder sseHeartbeat(Duration value) {
      Objects.requireNonNull(value, "sseHeartbeat");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("sse.heartbeat_seconds must be positive, got " + value);
      }
      sseHeartbeat = value;
      return this;
    }

    public Builder host(String value) {
      host = Objects.requireNonNull(value, "host");
      return this;
    }

    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + value);
      }
      port = value;
      return this;
    }

    public Builder mode(Mode value) {
      mode = Objects.requireNonNull(value, "mode");
      return this;
    }

    public Builder methods(RpcMethods value) {
      methods = Objects.requireNonNull(value, "methods");
      return this;
    }

    /**
     * Provides {@code function} in-process to {@code cluster.call} under {@code name}, with this
     * node's {@code cluster.resources}; not idempotent.
     *
     * @throws IllegalArgumentException when the name is not valid or given twice
     */
    public Builder clusterFunction(String name, ClusterFunction function) {
      return clusterFunction(name, function, false);
    }

    /**
     * Provides {@code function} in-process under {@code name}; {@code idempotent}: a call whose
     * node dies mid-way may be run again on another node.
     *
     * @throws IllegalArgumentException when the name is not valid or given twice
     */
    public Builder clusterFunction(String name, ClusterFunction function, boolean idempotent) {
      return clusterFunction(name, new InProcessFunction(function, idempotent, false));
    }

    /**
     * Provides {@code function} in-process under {@code name}, run on the thread that routes the
     * command (an event loop, a node link's reader) with no thread switch: only for a function that
     * neither blocks nor runs long, as {@code RpcMethod#nonBlocking()}.
     *
     * @throws IllegalArgumentException when the name is not valid or given twice
     */
    public Builder nonBlockingClusterFunction(
        String name, ClusterFunction function, boolean idempotent) {
      return clusterFunction(name, new InProcessFunction(function, idempotent, true));
    }

    private Builder clusterFunction(String name, InProcessFunction function) {
      Offer.checkFunction(name);
      if (clusterFunctions.putIfAbsent(name, function) != null) {
        throw new IllegalArgumentException("cluster function \"" + name + "\" is given twice");
      }
      return this;
    }

    /** Per-connection RPC settings (see {@link ServerConfig#keepalive} for the push defaults). */
    public Builder rpc(RpcConfig value) {
      rpc = Objects.requireNonNull(value, "rpc");
      return this;
    }

    public Builder jwt(JwtConfig value) {
      jwt = Optional.of(Objects.requireNonNull(value, "jwt"));
      return this;
    }

    public Builder apiKey(ApiKey value) {
      apiKey = Optional.of(Objects.requireNonNull(value, "apiKey"));
      return this;
    }

    /** The token every admin request must carry ({@code admin.token}); turns the admin page on. */
    public Builder adminToken(ApiKey value) {
      adminToken = Optional.of(Objects.requireNonNull(value, "adminToken"));
      return this;
    }

    /** Gives {@code tenant} its own connection limits, overriding the server's for it. */
    public Builder tenantLimits(Tenant tenant, TenantLimits value) {
      tenantLimits.put(
          Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Binds {@code key} to {@code tenant}: a request with it reaches that tenant alone. */
    public Builder tenantApiKey(Tenant tenant, ApiKey key) {
      tenantApiKeys.put(
          Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(key, "key"));
      return this;
    }

    public Builder registryLimits(RegistryLimits value) {
      registryLimits = Objects.requireNonNull(value, "registryLimits");
      return this;
    }

    public Builder outboxLimits(OutboxLimits value) {
      outboxLimits = Objects.requireNonNull(value, "outboxLimits");
      return this;
    }

    public Builder http(HttpLimits value) {
      http = Objects.requireNonNull(value, "http");
      return this;
    }

    public Builder rateLimits(RateLimits value) {
      rateLimits = Objects.requireNonNull(value, "rateLimits");
      return this;
    }

    public Builder loadLimits(LoadLimits value) {
      loadLimits = Objects.requireNonNull(value, "loadLimits");
      return this;
    }

    public Builder connectionLimits(ConnectionLimits value) {
      connectionLimits = Objects.requireNonNull(value, "connectionLimits");
      return this;
    }

    /** permessage-deflate for devices that offer it (see {@link WebSocketCompression}). */
    public Builder webSocketCompression(WebSocketCompression value) {
      webSocketCompression = Objects.requireNonNull(value, "webSocketCompression");
      return this;
    }

    /** What a device speaks when its handshake names no protocol (default JSON-RPC). */
    public Builder defaultProtocol(DeviceProtocol value) {
      defaultProtocol = Objects.requireNonNull(value, "defaultProtocol");
      return this;
    }

    public Builder drainTimeout(Duration value) {
      drainTimeout = nonNegative("shutdown.drain_timeout_seconds", value);
      return this;
    }

    public Builder reconnectAfter(Duration value) {
      reconnectAfter = nonNegative("shutdown.reconnect_after_seconds", value);
      return this;
    }

    /**
     * @throws IllegalStateException in production mode without a JWT key or an API key
     */
    public ServerConfig build() {
      if (mode == Mode.PRODUCTION) {
        List<String> missing = new java.util.ArrayList<>();
        if (jwt.isEmpty()) {
          missing.add("a JWT key (jwt.secret, jwt.public_key or jwt.jwks_url)");
        }
        if (apiKey.isEmpty()) {
          missing.add("an API key (api_key)");
        }
        if (webTransport.filter(w -> w.enabled() && w.certificate().isEmpty()).isPresent()) {
          missing.add(
              "a WebTransport certificate (webtransport.certificate and webtransport.private_key),"
                  + " or webtransport.port = off");
        }
        if (!missing.isEmpty()) {
          throw new IllegalStateException("production mode needs " + String.join(" and ", missing));
        }
      }
      return new ServerConfig(this);
    }

    private static Duration nonNegative(String key, Duration value) {
      Objects.requireNonNull(value, key);
      if (value.isNegative()) {
        throw new IllegalArgumentException(key + " must not be negative, got " + value.toSeconds());
      }
      return value;
    }
  }
}
