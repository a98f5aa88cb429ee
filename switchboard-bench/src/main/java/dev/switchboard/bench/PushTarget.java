package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

/**
 * A push server under test as the benchmark sees it, whatever runs it: where devices connect and
 * how they speak ({@link #devices()}), and the two HTTP calls of the publisher. Both systems take
 * the same request bodies, {@code
 * {"channel"|"target_user_id":..,"event_type":"bench","payload":<payload>}}, and forward the
 * payload untouched. Closing it stops the server (when the benchmark started it) and the
 * publisher's connections.
 */
final class PushTarget implements AutoCloseable {

  static final String EVENT_TYPE = "bench";

  private final String label;
  private final int port;
  private final DeviceProtocol devices;
  private final JsonHttp http;
  private final String channelPath;
  private final String sendPath;
  private final AutoCloseable server;
  private final Optional<ProcessHandle> process;

  /**
   * @param channelPath the path that publishes to a channel (room)
   * @param sendPath the path that sends to one user
   * @param server what stops the server, closed last
   * @param process the server's process, when the benchmark started it (for its CPU time)
   */
  PushTarget(
      String label,
      int port,
      DeviceProtocol devices,
      JsonHttp http,
      String channelPath,
      String sendPath,
      AutoCloseable server,
      Optional<ProcessHandle> process) {
    this.label = Objects.requireNonNull(label, "label");
    this.port = port;
    this.devices = Objects.requireNonNull(devices, "devices");
    this.http = Objects.requireNonNull(http, "http");
    this.channelPath = Objects.requireNonNull(channelPath, "channelPath");
    this.sendPath = Objects.requireNonNull(sendPath, "sendPath");
    this.server = Objects.requireNonNull(server, "server");
    this.process = Objects.requireNonNull(process, "process");
  }

  /** The row label of the report, for example "Socket.IO 4.8.4 (node v20.20.2)". */
  String label() {
    return label;
  }

  /** The port devices connect to on the loopback address. */
  int port() {
    return port;
  }

  DeviceProtocol devices() {
    return devices;
  }

  /** The server's process, when the benchmark started it. */
  Optional<ProcessHandle> process() {
    return process;
  }

  /**
   * Publishes {@code payload} (JSON text) to every subscriber of {@code channel}; completes, once
   * the server has answered, with the number of devices it says it delivered to (-1 when it does
   * not say).
   */
  Future<Integer> publish(String channel, String payload) {
    return http.post(
            channelPath,
            "{\"channel\":\""
                + channel
                + "\",\"event_type\":\""
                + EVENT_TYPE
                + "\",\"payload\":"
                + payload
                + "}")
        .map(PushTarget::deliveredTo);
  }

  /** Sends {@code payload} to the one user {@code userId}; completes like {@link #publish}. */
  Future<Integer> send(String userId, String payload) {
    return http.post(
            sendPath,
            "{\"target_user_id\":\""
                + userId
                + "\",\"event_type\":\""
                + EVENT_TYPE
                + "\",\"payload\":"
                + payload
                + "}")
        .map(PushTarget::deliveredTo);
  }

  private static int deliveredTo(JsonNode answer) {
    return answer.path("delivered_to").asInt(-1);
  }

  @Override
  public void close() {
    try {
      http.close();
    } finally {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("fanout: stopping " + label + " failed: " + e);
      }
    }
  }

  @Override
  public String toString() {
    return label + " on port " + port;
  }
}
