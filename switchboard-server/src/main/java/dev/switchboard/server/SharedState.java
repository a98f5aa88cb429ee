package dev.switchboard.server;

import dev.switchboard.cluster.FunctionDirectory;
import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.RateLimitStore;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.Templates;
import dev.switchboard.redis.AraTriggers;
import dev.switchboard.redis.RedisBroker;
import dev.switchboard.redis.RedisDeliveryStore;
import dev.switchboard.redis.RedisEngine;
import dev.switchboard.redis.RedisFunctionDirectory;
import dev.switchboard.redis.RedisMembership;
import dev.switchboard.redis.RedisPresence;
import dev.switchboard.redis.RedisRateLimitStores;
import dev.switchboard.redis.RedisSettings;
import dev.switchboard.redis.RedisTemplates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Every piece of state the nodes of a cluster share, made in one place: in memory (this node is the
 * whole cluster; the embedded default) or in Redis ({@code redis.url}). The rest of the server
 * knows only the gateway's interfaces.
 *
 * <p>Made in two steps because the broker hands sends to this node's {@link Deliveries}, which is
 * built over the {@link #store()}: {@link #open}, then {@link #broker(Deliveries)} once.
 */
final class SharedState implements AutoCloseable {

  /** How long a send waits for a node's answer before counting it as reaching none. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

  private final ClusterView cluster;
  private final DeliveryStore store;
  private final Presence presence;
  private final Templates templates;
  private final RateLimitStore.Factory rateLimits;
  private final Optional<Redis> redis;
  private final Clock clock;
  private volatile Optional<RedisBroker> broker = Optional.empty();
  private volatile Optional<AraTriggers> triggers = Optional.empty();

  /** The Redis engine's parts, when it runs. */
  private record Redis(RedisEngine engine, RedisMembership membership, RedisPresence presence) {}

  private SharedState(
      ClusterView cluster,
      DeliveryStore store,
      Presence presence,
      Templates templates,
      RateLimitStore.Factory rateLimits,
      Optional<Redis> redis,
      Clock clock) {
    this.clock = clock;
    this.cluster = cluster;
    this.store = store;
    this.presence = presence;
    this.templates = templates;
    this.rateLimits = rateLimits;
    this.redis = redis;
  }

  /**
   * The engine {@code config} asks for.
   *
   * @throws dev.switchboard.gateway.SharedStateException when Redis cannot be reached at start
   */
  static SharedState open(ServerConfig config, Registry registry, Clock clock) {
    ClusterSettings settings = config.cluster();
    if (settings.redisUrl().isEmpty()) {
      // One node: its name is only reported, so no host name lookup (which may wait on DNS).
      String nodeId =
          settings
              .nodeId()
              .orElseGet(() -> "switchboard-" + UUID.randomUUID().toString().substring(0, 8));
      Presence presence = Presence.inMemory(registry);
      return new SharedState(
          ClusterView.singleNode(nodeId, presence, registry::counts, clock),
          DeliveryStore.inMemory(config.deliveryLimits()),
          presence,
          Templates.inMemory(config.templatesMaxCount()),
          RateLimitStore.Factory.inMemory(),
          Optional.empty(),
          clock);
    }
    String nodeId = settings.nodeId().orElseGet(() -> defaultNodeId(config.port()));
    RedisEngine engine = RedisEngine.connect(RedisSettings.of(settings.redisUrl().get(), nodeId));
    try {
      RedisMembership membership = RedisMembership.join(engine, clock, registry::connectionCount);
      RedisPresence presence = RedisPresence.start(engine, membership, registry);
      Redis redis = new Redis(engine, membership, presence);
      return new SharedState(
          new RedisCluster(redis, registry),
          RedisDeliveryStore.create(engine, config.deliveryLimits()),
          presence,
          RedisTemplates.create(engine, config.templatesMaxCount()),
          RedisRateLimitStores.factory(engine),
          Optional.of(redis),
          clock);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** This host's name and {@code port}; with port 0 (chosen at bind), a random suffix instead. */
  private static String defaultNodeId(int port) {
    String host = RedisSettings.localHostName();
    return port == 0
        ? host + "-" + UUID.randomUUID().toString().substring(0, 8)
        : host + ":" + port;
  }

  /**
   * The broker over {@code deliveries}; with Redis, also starts taking Ara's Redis triggers through
   * it. Call once.
   */
  Broker broker(Deliveries deliveries) {
    if (redis.isEmpty()) {
      return Broker.inMemory(deliveries);
    }
    Redis r = redis.get();
    RedisBroker started = RedisBroker.start(r.engine(), deliveries, ANSWER_TIMEOUT, clock);
    broker = Optional.of(started);
    triggers = Optional.of(AraTriggers.start(r.engine(), started::publish, clock));
    return started;
  }

  ClusterView cluster() {
    return cluster;
  }

  DeliveryStore store() {
    return store;
  }

  Presence presence() {
    return presence;
  }

  Templates templates() {
    return templates;
  }

  RateLimitStore.Factory rateLimits() {
    return rateLimits;
  }

  /** Registers the Redis engine's meters, when it runs (after {@link #broker}). */
  void bindMeters(io.micrometer.core.instrument.MeterRegistry registry) {
    redis.ifPresent(
        r ->
            broker.ifPresent(
                b ->
                    ClusterMeters.bind(
                        registry, cluster, r.engine(), b, () -> triggers.map(t -> t.stats()))));
  }

  /**
   * This node's entry in the function directory of clustered RPC: alone in memory, shared in Redis.
   * The caller closes it (before this).
   *
   * @param address where the other nodes' links reach this node
   * @param load the calls this node's providers are running
   */
  FunctionDirectory functions(String address, LongSupplier load) {
    if (redis.isEmpty()) {
      return FunctionDirectory.alone(cluster.nodeId());
    }
    Redis r = redis.get();
    return RedisFunctionDirectory.join(r.engine(), r.membership(), address, load);
  }

  /** Ara's Redis triggers, when the Redis engine runs. */
  Optional<AraTriggers> triggers() {
    return triggers;
  }

  /** Leaves the cluster at once (the other nodes stop counting this one) and disconnects. */
  @Override
  public void close() {
    triggers.ifPresent(AraTriggers::close);
    broker.ifPresent(RedisBroker::close);
    redis.ifPresent(
        r -> {
          r.presence().close();
          r.membership().close();
          r.engine().close();
        });
  }

  /** The Redis engine's cluster: the nodes that heartbeat into the same Redis. */
  private record RedisCluster(Redis redis, Registry registry) implements ClusterView {
    @Override
    public Presence.Counts localCounts(dev.switchboard.gateway.Tenant tenant) {
      return registry.counts(tenant);
    }

    @Override
    public String nodeId() {
      return redis.engine().nodeId();
    }

    @Override
    public String engine() {
      return "redis";
    }

    @Override
    public List<Node> nodes() {
      return redis.membership().nodes().stream()
          .map(n -> new Node(n.nodeId(), n.connections(), n.lastSeen()))
          .toList();
    }

    @Override
    public Map<String, Integer> userNodes(String userKey) {
      return redis.presence().userNodes(userKey);
    }

    @Override
    public Optional<String> problem() {
      return redis.engine().isUp()
          ? Optional.empty()
          : Optional.of(
              "Redis unreachable; reconnecting (circuit " + redis.engine().breaker().state() + ")");
    }
  }
}
