package dev.switchboard.server;

import dev.switchboard.cluster.ClusterRpc;
import dev.switchboard.cluster.FunctionDirectory;
import dev.switchboard.cluster.Invokers;
import dev.switchboard.cluster.LocalProviders;
import dev.switchboard.cluster.NodeLinks;
import dev.switchboard.redis.RedisSettings;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcPeer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

/**
 * This server's part in clustered RPC: its providers (the in-process functions of {@link
 * ServerConfig#clusterFunctions()} with {@code cluster.resources}, and the connections that
 * register), its entry in the function directory, its node links, and the {@code cluster.*}
 * methods. It joins the directory only once the server listens, so the other nodes' links never
 * knock on a closed port.
 */
final class ClusterNode implements AutoCloseable {

  /** The header a node link (or a backend) presents the API key in at the handshake. */
  static final String API_KEY_HEADER = "X-API-Key";

  private final ServerConfig config;
  private final LocalProviders providers;
  private final ClusterMethods methods;

  /**
   * Graph deadlines, link reconnects, the directory sync. A graph's deadline is cancelled when it
   * finishes, and leaves the queue then (not 30 s later): at 40,000 graphs a second, the queue
   * would otherwise hold a million dead timers.
   */
  private final ScheduledThreadPoolExecutor executor = executor();

  private static ScheduledThreadPoolExecutor executor() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon(true).name("cluster-rpc").factory());
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Set once by {@link #join}, before the server takes connections. */
  private volatile ClusterRpc rpc;

  private volatile FunctionDirectory directory;

  /**
   * This node's providers and {@code cluster.*} methods; it joins the cluster with {@link #join},
   * once it listens.
   *
   * @param inProcess the functions this node provides itself, with {@code cluster.resources}
   * @param functions runs in-process functions (virtual threads)
   * @param sessions the session of a connection, for who may register
   */
  ClusterNode(
      ServerConfig config,
      Map<String, ServerConfig.InProcessFunction> inProcess,
      Executor functions,
      Function<RpcPeer, Optional<Session>> sessions) {
    this.config = config;
    this.providers = new LocalProviders();
    List<String> resources = config.cluster().resources();
    for (Map.Entry<String, ServerConfig.InProcessFunction> f : inProcess.entrySet()) {
      providers.add(
          "in-process " + f.getKey(),
          List.of(f.getKey()),
          resources,
          f.getValue().idempotent(),
          f.getValue().nonBlocking()
              ? Invokers.direct(f.getValue().function())
              : Invokers.inProcess(f.getValue().function(), functions));
    }
    this.methods = new ClusterMethods(() -> rpc, sessions, config.development());
  }

  /**
   * Joins the cluster once this server listens on {@code port}: announces what this node serves
   * (the other nodes' links then connect at once) and opens links to the others. Call once.
   */
  void join(SharedState shared, int port, Vertx vertx, List<Context> loops) {
    directory = shared.functions(address(config, port), providers::load);
    rpc = ClusterRpc.start(providers, directory, connector(config, vertx, loops), executor);
  }

  /** {@code cluster.address}, else this server's WebSocket endpoint on its host name. */
  static String address(ServerConfig config, int port) {
    return config
        .cluster()
        .address()
        .orElseGet(
            () -> {
              String host = config.host();
              if (host.equals("0.0.0.0") || host.equals("::")) {
                host = RedisSettings.localHostName();
              }
              return "ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/ws";
            });
  }

  /**
   * Node links: a connection per event loop of this server to the other node ({@link LoopLinks}),
   * with the API key when there is one.
   */
  private static NodeLinks.Connector connector(
      ServerConfig config, Vertx vertx, List<Context> loops) {
    // Answers complete on the event loop that reads them, not a virtual thread of their own: every
    // stage the cluster hangs on them is non-blocking, and nothing calls methods of a link's
    // client.
    RpcConfig link =
        RpcConfig.defaults().toBuilder()
            .maxPendingCalls(LINK_MAX_CALLS)
            .maxInFlightCalls(LINK_MAX_CALLS)
            .maxMessageBytes(config.rpc().maxMessageBytes())
            .handlerExecutor(Runnable::run)
            .build();
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout(2_000)
                .setTcpNoDelay(true)
                .setMaxFrameSize(config.rpc().maxMessageBytes())
                .setMaxMessageSize(config.rpc().maxMessageBytes()));
    Map<String, String> headers =
        config.apiKey().map(key -> Map.of(API_KEY_HEADER, key.secret())).orElse(Map.of());
    return address -> LoopLinks.connect(client, loops, address, headers, link);
  }

  /** Calls a node link carries at once, each way: {@value}. */
  static final int LINK_MAX_CALLS = 16_384;

  /** The {@code cluster.*} methods. */
  RpcMethods methods() {
    return methods.methods();
  }

  /**
   * Leaves the directory: the other nodes stop routing here within 1 s, while what runs here
   * finishes. Idempotent; the first step of a shutdown.
   */
  void leave() {
    if (rpc != null) {
      rpc.stopFollowing();
    }
    if (directory != null) {
      directory.close();
    }
  }

  /** Leaves if it has not, then closes the node links: the last step of a shutdown. */
  @Override
  public void close() {
    leave();
    if (rpc != null) {
      rpc.close();
    }
    executor.shutdownNow();
  }
}
