package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What one run of {@code node/ws-rpc-client.mjs} reported: the handshake, the calls answered in the
 * measured window and their latency, the client's own CPU time, and the JSON-RPC errors it was
 * answered with.
 *
 * @param offer the {@code Sec-WebSocket-Extensions} the client sent; empty when it offered nothing
 * @param extensions the {@code Sec-WebSocket-Extensions} of the server's 101; empty when it
 *     accepted nothing
 * @param calls correct answers in the measured window
 * @param latency per-call round trips of the window; empty when no call was answered
 * @param errors JSON-RPC error responses in the window (the calls went on)
 * @param firstError the first error response of the whole run, as JSON
 * @param notifications messages without an id the server sent (ignored by the client)
 */
record WsClientResult(
    String wsVersion,
    String node,
    String offer,
    String extensions,
    long calls,
    double seconds,
    double callsPerSecond,
    Optional<Latency> latency,
    double clientCpuSeconds,
    long errors,
    Optional<String> firstError,
    long notifications) {

  /** Round-trip times in microseconds, exact nearest-rank percentiles. */
  record Latency(
      long samples,
      double p50us,
      double p90us,
      double p99us,
      double p999us,
      double maxUs,
      double meanUs) {}

  /**
   * Reads the client's result object.
   *
   * @throws BenchmarkException when the client reported a failure ({@code "ok":false}) or a field
   *     is missing
   */
  static WsClientResult parse(JsonNode json) {
    if (!json.path("ok").asBoolean(false)) {
      throw new BenchmarkException(
          json.path("failure").asText("the client failed without saying why: " + json));
    }
    JsonNode lat = json.path("latency");
    Optional<Latency> latency =
        lat.isObject()
            ? Optional.of(
                new Latency(
                    required(lat, "samples").asLong(),
                    required(lat, "p50us").asDouble(),
                    required(lat, "p90us").asDouble(),
                    required(lat, "p99us").asDouble(),
                    required(lat, "p999us").asDouble(),
                    required(lat, "maxUs").asDouble(),
                    required(lat, "meanUs").asDouble()))
            : Optional.empty();
    JsonNode firstError = json.path("firstError");
    return new WsClientResult(
        required(json, "ws").asText(),
        required(json, "node").asText(),
        json.path("offer").asText(""),
        json.path("extensions").asText(""),
        required(json, "calls").asLong(),
        required(json, "seconds").asDouble(),
        required(json, "callsPerSecond").asDouble(),
        latency,
        required(json, "clientCpuSeconds").asDouble(),
        required(json, "errors").asLong(),
        firstError.isMissingNode() || firstError.isNull()
            ? Optional.empty()
            : Optional.of(firstError.toString()),
        json.path("notifications").asLong(0));
  }

  /** Cores the client kept busy over the window. */
  double clientCores() {
    return seconds > 0 ? clientCpuSeconds / seconds : Double.NaN;
  }

  private static JsonNode required(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      throw new BenchmarkException("the client's JSON lacks '" + field + "': " + parent);
    }
    return value;
  }
}
