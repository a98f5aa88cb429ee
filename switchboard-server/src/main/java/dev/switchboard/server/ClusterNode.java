package dev.switchboard.server;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.cluster.ClusterRpc;
import dev.switchboard.cluster.FunctionDirectory;
import dev.switchboard.cluster.Invokers;
import dev.switchboard.cluster.LocalProviders;
import dev.switchboard.cluster.NodeLinks;
import dev.switchboard.redis.RedisSettings;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcPeer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * This server's part in clustered RPC: its providers (the in-process functions of {@link
 * ServerConfig#clusterFunctions()} with {@code cluster.resources}, and the connections that
 * register), its entry in the function directory, its node links, and the {@code cluster.*}
 * methods. Made once the port is known, since the other nodes' links connect to it.
 */
final class ClusterNode implements AutoCloseable {

  /** The header a node link (or a backend) presents the API key in at the handshake. */
  static final String API_KEY_HEADER = "X-API-Key";

  private final ScheduledExecutorService executor;
  private final FunctionDirectory directory;
  private final ClusterRpc rpc;
  private final ClusterMethods methods;

  private ClusterNode(
      ScheduledExecutorService executor,
      FunctionDirectory directory,
      ClusterRpc rpc,
      ClusterMethods methods) {
    this.executor = executor;
    this.directory = directory;
    this.rpc = rpc;
    this.methods = methods;
  }

  /**
   * Starts clustered RPC on this node.
   *
   * @param inProcess the functions this node provides itself, with {@code cluster.resources}
   * @param port the port this server listens on, for the address its links connect to
   * @param functions runs in-process functions (virtual threads)
   * @param sessions the session of a connection, for who may register
   */
  static ClusterNode start(
      ServerConfig config,
      Map<String, ServerConfig.InProcessFunction> inProcess,
      SharedState shared,
      int port,
      Executor functions,
      Function<RpcPeer, Optional<Session>> sessions) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("cluster-rpc").factory());
    LocalProviders providers = new LocalProviders();
    List<String> resources = config.cluster().resources();
    for (Map.Entry<String, ServerConfig.InProcessFunction> f : inProcess.entrySet()) {
      providers.add(
          "in-process " + f.getKey(),
          List.of(f.getKey()),
          resources,
          f.getValue().idempotent(),
          Invokers.inProcess(f.getValue().function(), functions));
    }
    String address = address(config, port);
    FunctionDirectory directory = shared.functions(address, providers::load);
    ClusterRpc rpc = ClusterRpc.start(providers, directory, connector(config), executor);
    ClusterMethods methods = new ClusterMethods(() -> rpc, sessions, config.development());
    return new ClusterNode(executor, directory, rpc, methods);
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

  /** Node links: our own client, with the API key when there is one. */
  private static NodeLinks.Connector connector(ServerConfig config) {
    RpcConfig link =
        RpcConfig.defaults().toBuilder()
            .maxPendingCalls(LINK_MAX_CALLS)
            .maxInFlightCalls(LINK_MAX_CALLS)
            .build();
    return address -> {
      SwitchboardClient.Builder b =
          SwitchboardClient.builder(URI.create(address))
              .rpc(link)
              .connectTimeout(Duration.ofSeconds(2))
              .maxQueuedMessages(LINK_MAX_CALLS);
      config.apiKey().ifPresent(key -> b.header(API_KEY_HEADER, key.secret()));
      return b.connectAsync();
    };
  }

  /** Calls a node link carries at once, each way: {@value}. */
  static final int LINK_MAX_CALLS = 16_384;

  /** The {@code cluster.*} methods. */
  RpcMethods methods() {
    return methods.methods();
  }

  ClusterRpc rpc() {
    return rpc;
  }

  /** Leaves: closes the links, then the directory entry (the others see it within 1 s). */
  @Override
  public void close() {
    rpc.close();
    directory.close();
    executor.shutdownNow();
  }
}
