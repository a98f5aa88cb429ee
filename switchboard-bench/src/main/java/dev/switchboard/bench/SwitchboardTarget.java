package dev.switchboard.bench;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Switchboard end to end: a {@link SwitchboardClient} here, a development-mode {@code
 * SwitchboardServer} in a child JVM ({@code BenchMain serve-rpc}), calling {@code echo([payload])}
 * as a user would.
 */
final class SwitchboardTarget implements EchoTarget {

  /** Every server of the benchmark binds the loopback address, as the Node peer does. */
  static final String HOST = "127.0.0.1";

  private final ChildJvm server;
  private final SwitchboardClient client;
  private final String payload;

  private SwitchboardTarget(ChildJvm server, SwitchboardClient client, String payload) {
    this.server = server;
    this.client = client;
    this.payload = payload;
  }

  /**
   * The client RPC settings of the benchmark: no keepalive (its pings would be noise in the
   * numbers) and room for every call of the deepest pipeline.
   */
  static RpcConfig clientConfig(int maxInflight) {
    return RpcConfig.builder()
        .pingInterval(Duration.ZERO)
        .maxPendingCalls(Math.max(RpcConfig.defaults().maxPendingCalls(), 2 * maxInflight))
        .build();
  }

  static SwitchboardTarget start(Workload workload, int maxInflight, List<String> serverJvmArgs)
      throws IOException, InterruptedException {
    ChildJvm server = ChildJvm.start("switchboard-server", "serve-rpc", serverJvmArgs);
    try {
      SwitchboardClient client =
          SwitchboardClient.builder(URI.create("ws://" + HOST + ":" + server.port() + "/ws"))
              .rpc(clientConfig(maxInflight))
              .maxQueuedMessages(Math.max(4096, 2 * maxInflight))
              .connect();
      return new SwitchboardTarget(server, client, workload.payload());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  @Override
  public CompletableFuture<String> call() {
    return client.call(Workload.METHOD, Params.of(payload), String.class);
  }

  @Override
  public String expectedReply() {
    return payload;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.close();
    }
  }

  @Override
  public String toString() {
    return "Switchboard via " + server;
  }
}
