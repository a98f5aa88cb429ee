package dev.switchboard.bench;

import java.util.List;
import java.util.Objects;

/**
 * What one system gave in the fan-out run with independent clients: numbers, or why there are none.
 */
sealed interface NodeFanoutResult
    permits NodeFanoutResult.Measured, NodeFanoutResult.NotRun, NodeFanoutResult.Failed {

  PushSystem system();

  /** The server's row label, for example "Socket.IO 4.8.4 (node v20.20.2)". */
  String label();

  /**
   * The measured window of one system.
   *
   * @param client the client library and its version, for example "ws 8.23.1 (node v20.20.2)"
   * @param processes node processes holding the devices
   * @param inflight messages the publisher kept in flight, each until every device had it
   * @param messages messages published in the measured window
   * @param expected deliveries those messages should make: {@code messages * devices}
   * @param received deliveries of those messages that arrived
   * @param incomplete messages of the window that some device never got (within the message
   *     timeout)
   * @param strays deliveries of messages after the window (none are sent: a duplicate or a foreign
   *     message)
   * @param closed devices whose connection closed after they were ready
   * @param malformed messages the clients could not read as a bench notification
   * @param publishErrors HTTP requests of the publisher that failed
   * @param seconds from the first publish of the window until its last message was complete (or
   *     given up)
   * @param serverCpuSeconds CPU time (user + system) of the server process over those seconds
   * @param clientCpuSeconds CPU time of the node processes over their whole life (connecting
   *     included)
   * @param wireBytesPerDelivery bytes the devices read off their sockets from ready to the end
   *     (warm-up included), divided by the deliveries in that time: a message's size on the wire,
   *     compressed or not; NaN when the client cannot tell (socket.io-client)
   * @param latency from the publisher's send to each delivery of the window's messages
   * @param problems the first few things that went wrong with devices, if any
   */
  record Measured(
      PushSystem system,
      String label,
      String client,
      int devices,
      int processes,
      int inflight,
      long messages,
      long expected,
      long received,
      long incomplete,
      long strays,
      long closed,
      long malformed,
      long publishErrors,
      double seconds,
      double serverCpuSeconds,
      double clientCpuSeconds,
      double wireBytesPerDelivery,
      LatencyStats latency,
      List<String> problems)
      implements NodeFanoutResult {
    public Measured {
      Objects.requireNonNull(latency, "latency");
      problems = List.copyOf(problems);
    }

    /** Server CPU microseconds per delivery received; NaN without deliveries. */
    double serverMicrosPerDelivery() {
      return received > 0 ? serverCpuSeconds * 1e6 / received : Double.NaN;
    }

    long lost() {
      return expected - received;
    }
  }

  /** The system could not be run here (node or a client library missing). */
  record NotRun(PushSystem system, String label, String reason) implements NodeFanoutResult {}

  /** The system started but the measurement failed. */
  record Failed(PushSystem system, String label, String reason) implements NodeFanoutResult {}
}
