/**
 * Switchboard's benchmarks: {@code BenchMain rpc} (end-to-end, against a raw WebSocket echo and
 * rpc-websockets), {@code BenchMain jmh} (JMH micro-benchmarks) and {@code BenchMain resilience}
 * (JMH, switchboard-resilience against resilience4j, Bucket4j and Netflix concurrency-limits).
 * Exports nothing; picocli reads the commands reflectively.
 *
 * <p>The launcher runs it on the class path; this descriptor keeps the compile honest about what it
 * uses. The JMH annotation processor generates {@code dev.switchboard.bench.jmh_generated} inside
 * this module.
 */
module dev.switchboard.bench {
  requires dev.switchboard.server;
  requires dev.switchboard.client;
  requires dev.switchboard.webtransport;
  // The load report's latency plot (BufferedImage, ImageIO), drawn headless.
  requires java.desktop;
  // The load test's WebTransport devices ask GET /api/v1/webtransport with the JDK's client.
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires io.vertx.core;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.codec.http;
  requires info.picocli;
  requires jmh.core;
  requires dev.switchboard.resilience;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.ratelimiter;
  requires io.github.resilience4j.bulkhead;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.timelimiter;
  requires io.github.bucket4j.core;
  // No Automatic-Module-Name in its jar: the name is derived from the file name.
  requires concurrency.limits.core;
  // Likewise.
  requires HdrHistogram;

  opens dev.switchboard.bench to
      info.picocli;
  opens dev.switchboard.bench.load to
      info.picocli;
}
