/**
 * Switchboard's benchmarks: {@code BenchMain rpc} (end-to-end, against a raw WebSocket echo and rpc-websockets)
 * and {@code BenchMain jmh} (JMH micro-benchmarks). Exports nothing; picocli reads the commands reflectively.
 *
 * <p>The launcher runs it on the class path; this descriptor keeps the compile honest about what it uses. The JMH
 * annotation processor generates {@code dev.switchboard.bench.jmh_generated} inside this module.
 */
module dev.switchboard.bench {
  requires dev.switchboard.server;
  requires dev.switchboard.client;
  requires com.fasterxml.jackson.databind;
  requires io.vertx.core;
  requires info.picocli;
  requires jmh.core;

  opens dev.switchboard.bench to info.picocli;
}
