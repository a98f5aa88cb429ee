/**
 * The Switchboard server: Vert.x HTTP and WebSocket, the push gateway and its HTTP API, auth, the
 * CLI.
 */
module dev.switchboard.server {
  requires transitive dev.switchboard.rpc;
  requires dev.switchboard.websocket;
  requires transitive dev.switchboard.gateway;
  requires transitive dev.switchboard.auth;
  requires dev.switchboard.resilience;
  requires dev.switchboard.redis;
  requires transitive dev.switchboard.cluster;
  requires transitive dev.switchboard.webtransport;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.common;
  requires io.vertx.core;
  requires io.netty.codec.http;
  requires io.netty.codec; // DecoderResult of a request Netty could not read
  requires io.netty.codec.compression;
  requires jdk.management;
  requires info.picocli;
  requires com.fasterxml.jackson.dataformat.toml;
  requires org.slf4j;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires io.prometheus.metrics.model;
  requires dev.switchboard.resilience.micrometer;
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;
  requires io.opentelemetry.api;
  requires io.opentelemetry.context;
  requires io.opentelemetry.sdk;
  requires io.opentelemetry.sdk.trace;
  requires io.opentelemetry.sdk.autoconfigure;
  requires io.opentelemetry.sdk.autoconfigure.spi;
  requires io.opentelemetry.sdk.common;

  exports dev.switchboard.server;

  opens dev.switchboard.server to
      info.picocli,
      dev.switchboard.rpc;
}
