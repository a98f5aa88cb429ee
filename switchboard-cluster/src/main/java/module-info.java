/**
 * Clustered RPC, the part without a network: the command graph of {@code cluster.call}.
 *
 * <p>{@link dev.switchboard.cluster.CommandGraph#plan} checks a list of {@link
 * dev.switchboard.cluster.Command commands} and finds each one's dependencies; {@link
 * dev.switchboard.cluster.GraphRun#start} runs the graph through a {@link
 * dev.switchboard.cluster.CommandRunner} (the router, later) under one deadline and completes with
 * a {@link dev.switchboard.cluster.GraphOutcome}.
 */
module dev.switchboard.cluster {
  requires transitive dev.switchboard.jsonrpc;
  requires transitive dev.switchboard.rpc;
  requires org.slf4j;

  exports dev.switchboard.cluster;
}
