package dev.switchboard.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of Switchboard's benchmarks ({@code ./switchboard bench <name> [options]}): {@code
 * rpc} compares Switchboard end to end with a raw WebSocket echo and rpc-websockets, {@code fanout}
 * compares its push fan-out with Socket.IO's, {@code cluster} measures fan-out on one node and on
 * several nodes sharing one Redis, {@code cluster-rpc} clustered RPC ({@code cluster.call}) over
 * three nodes, {@code wt} RPC and push over WebTransport against WebSocket from one headless
 * Chromium page, {@code connections} the memory of idle connections, {@code jmh} runs the JMH
 * micro-benchmarks, {@code resilience} the JMH benchmarks of the resilience patterns against
 * resilience4j, Bucket4j and Netflix concurrency-limits. The hidden {@code serve-rpc} and {@code
 * echo-server} are the servers {@code rpc} starts in child JVMs.
 */
@Command(
    name = "switchboard bench",
    subcommands = {
      RpcBenchCommand.class,
      FanoutBenchCommand.class,
      ClusterBenchCommand.class,
      ClusterRpcBenchCommand.class,
      WtBenchCommand.class,
      JmhCommand.class,
      ResilienceBenchCommand.class,
      ServeRpcCommand.class,
      EchoServerCommand.class,
      ProbeCommand.class,
      ConnectionsBenchCommand.class
    },
    description = "Switchboard's benchmarks.")
public final class BenchMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "name a benchmark: rpc, fanout, cluster, cluster-rpc, wt, connections, probe, jmh or resilience");
  }
}
