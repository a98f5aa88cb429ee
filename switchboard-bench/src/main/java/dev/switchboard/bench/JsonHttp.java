package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publisher's side of a push server's HTTP API: JSON requests over a pool of keep-alive
 * HTTP/1.1 connections, on an event loop of its own (so that ten thousand devices' traffic does not
 * queue in front of its replies). Thread-safe; requests may be started from any thread. Requests
 * beyond the pool's size wait for a connection.
 */
final class JsonHttp implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final HttpClient client;
  private final String host;
  private final int port;
  private final Map<String, String> headers;

  /**
   * @param headers sent with every request (for example an API key)
   * @param connections the most connections kept open to the server
   */
  JsonHttp(String host, int port, Map<String, String> headers, int connections) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(10_000),
            new PoolOptions().setHttp1MaxSize(connections));
    this.host = host;
    this.port = port;
    this.headers = Map.copyOf(headers);
  }

  /** POSTs {@code json}; completes with the answer's JSON, or fails unless the status is 200. */
  Future<JsonNode> post(String path, String json) {
    return request(HttpMethod.POST, path, Buffer.buffer(json));
  }

  /** GETs {@code path}; completes with the answer's JSON, or fails unless the status is 200. */
  Future<JsonNode> get(String path) {
    return request(HttpMethod.GET, path, null);
  }

  private Future<JsonNode> request(HttpMethod method, String path, Buffer body) {
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path);
    headers.forEach(options::putHeader);
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client
        .request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(
            response ->
                response
                    .body()
                    .map(
                        answer -> {
                          if (response.statusCode() != 200) {
                            throw new BenchmarkException(
                                method
                                    + " "
                                    + path
                                    + " answered "
                                    + response.statusCode()
                                    + ": "
                                    + SwitchboardDevices.abbreviate(answer.toString()));
                          }
                          try {
                            return JSON.readTree(answer.getBytes());
                          } catch (IOException e) {
                            throw new BenchmarkException(
                                method
                                    + " "
                                    + path
                                    + " answered no JSON: "
                                    + SwitchboardDevices.abbreviate(answer.toString()),
                                e);
                          }
                        }));
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Its threads are daemons; nothing waits on them.
    }
  }
}
