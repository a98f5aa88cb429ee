package dev.switchboard.bench;

import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.server.Observability;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.server.WebSocketCompression;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain serve-rpc}: the Switchboard side of the RPC benchmark, run in a child JVM by
 * {@link SwitchboardTarget}. A development-mode server (so {@code echo} exists) with the default
 * RPC settings, on the loopback address; see {@link ChildJvm} for how it reports its port and when
 * it stops. Nothing limits the benchmark's load: {@link ServerConfig#builder()} starts from {@code
 * RateLimits.OFF} (no upgrade or HTTP rate) and {@link RpcConfig#defaults()} has no message rate,
 * where {@code switchboard serve}'s defaults (50 messages a second after a burst of 200, 10
 * upgrades a minute per address) would refuse it with -32008 and 429.
 */
@Command(
    name = "serve-rpc",
    hidden = true,
    description = "Child process of 'rpc': a Switchboard server.")
final class ServeRpcCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "0", description = "Port (0: any free one).")
  int port;

  /**
   * Diagnosis only, never a server mode: with {@code -Dswitchboard.bench.inlineHandlers=true} (pass
   * it with {@code --server-jvm-arg}) handlers run on the event loop instead of virtual threads, to
   * measure what the per-call thread hand-off costs.
   */
  private static final boolean INLINE_HANDLERS =
      Boolean.getBoolean("switchboard.bench.inlineHandlers");

  /**
   * Diagnosis only: with {@code -Dswitchboard.bench.compressionMinBytes=N} (N >= 0) the server
   * accepts permessage-deflate and compresses answers of N bytes or more ({@code
   * websocket.compression=true}, {@code websocket.compression_min_bytes=N}), to measure with {@code
   * --client ws} what accepting the offer costs. Unset: the default, compression declined.
   */
  private static final int COMPRESSION_MIN_BYTES =
      Integer.getInteger("switchboard.bench.compressionMinBytes", -1);

  /**
   * Observability's cost: {@code -Dswitchboard.bench.metrics=false} turns {@code /metrics} and its
   * histograms off ({@code metrics.enabled}); {@code -Dswitchboard.bench.tracingRatio=R} turns
   * tracing on at ratio R, exporting where this JVM's {@code OTEL_*} variables say. Unset: the
   * server's defaults, metrics on and tracing off.
   */
  private static final boolean METRICS =
      Boolean.parseBoolean(System.getProperty("switchboard.bench.metrics", "true"));

  private static final String TRACING_RATIO =
      System.getProperty("switchboard.bench.tracingRatio", "");

  @Override
  public Integer call() throws Exception {
    RpcConfig rpc =
        INLINE_HANDLERS
            ? RpcConfig.builder().handlerExecutor(Runnable::run).build()
            : RpcConfig.defaults();
    ServerConfig.Builder config =
        ServerConfig.builder()
            .host(SwitchboardTarget.HOST)
            .port(port)
            .mode(dev.switchboard.server.Mode.DEVELOPMENT)
            .rpc(rpc);
    Observability observability = Observability.DEFAULTS.withMetrics(METRICS);
    if (!TRACING_RATIO.isEmpty()) {
      observability =
          observability.withTracing(
              Observability.Tracing.on(System.getenv())
                  .withSamplingRatio(Double.parseDouble(TRACING_RATIO)));
    }
    config.observability(observability);
    if (COMPRESSION_MIN_BYTES >= 0) {
      config.webSocketCompression(WebSocketCompression.on(COMPRESSION_MIN_BYTES));
    }
    try (SwitchboardServer server = SwitchboardServer.start(config.build())) {
      ChildJvm.announceAndAwaitParent(server.port());
    }
    return 0;
  }
}
