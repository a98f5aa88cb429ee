package dev.switchboard.bench;

import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain serve-rpc}: the Switchboard side of the RPC benchmark, run in a child JVM by {@link
 * SwitchboardTarget}. A development-mode server (so {@code echo} exists) with the default RPC settings, on the
 * loopback address; see {@link ChildJvm} for how it reports its port and when it stops.
 */
@Command(name = "serve-rpc", hidden = true, description = "Child process of 'rpc': a Switchboard server.")
final class ServeRpcCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "0", description = "Port (0: any free one).")
  int port;

  /**
   * Diagnosis only, never a server mode: with {@code -Dswitchboard.bench.inlineHandlers=true} (pass it with
   * {@code --server-jvm-arg}) handlers run on the event loop instead of virtual threads, to measure what the
   * per-call thread hand-off costs.
   */
  private static final boolean INLINE_HANDLERS = Boolean.getBoolean("switchboard.bench.inlineHandlers");

  @Override
  public Integer call() throws Exception {
    RpcConfig rpc = INLINE_HANDLERS
        ? RpcConfig.builder().handlerExecutor(Runnable::run).build()
        : RpcConfig.defaults();
    try (SwitchboardServer server = SwitchboardServer.start(
        ServerConfig.builder().host(SwitchboardTarget.HOST).port(port).mode(dev.switchboard.server.Mode.DEVELOPMENT).rpc(rpc).build())) {
      ChildJvm.announceAndAwaitParent(server.port());
    }
    return 0;
  }
}
