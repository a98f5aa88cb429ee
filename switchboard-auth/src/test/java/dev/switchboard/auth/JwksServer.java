package dev.switchboard.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free local port serving a JWK set; counts requests and can fail or stall
 * on demand.
 */
final class JwksServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String body = "{\"keys\":[]}";
  private volatile int status = 200;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private JwksServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks.json", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  /** A server publishing the public halves of {@code keys}. */
  static JwksServer serving(JWK... keys) throws IOException {
    JwksServer server = new JwksServer();
    server.publish(keys);
    return server;
  }

  /** A URL where nothing listens. */
  static URI deadUrl() throws IOException {
    try (JwksServer server = new JwksServer()) {
      return server.url();
    }
  }

  /** Serves the public halves of {@code keys} with status 200. */
  void publish(JWK... keys) {
    answer(200, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
  }

  void answer(int status, String body) {
    this.status = status;
    this.body = body;
  }

  /** Requests wait, after being counted, until the returned latch is released. */
  CountDownLatch stall() {
    gate = new CountDownLatch(1);
    return gate;
  }

  int fetches() {
    return fetches.get();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
  }

  @Override
  public void close() {
    gate.countDown();
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    fetches.incrementAndGet();
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
