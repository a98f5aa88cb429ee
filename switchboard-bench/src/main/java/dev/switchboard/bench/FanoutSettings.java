package dev.switchboard.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one {@code BenchMain fanout} run, validated; every system runs with the same ones.
 *
 * @param connections devices, one WebSocket and one user each, all subscribed to the channel
 * @param seconds measured seconds of each phase (steady push, and each fan-out level)
 * @param warmupSeconds untimed seconds before each phase's measurement, same load (before a fan-out
 *     level after the first, at most 1 s)
 * @param rate sends per second of the steady-push phase
 * @param payloadBytes size of the published payload's JSON
 * @param payload what fills the payload: padding, or a realistic JSON document
 * @param fanoutInflight the levels of the fan-out phase, run one after another: messages the
 *     publisher keeps in flight (sent and not yet received by every device)
 * @param messageTimeoutSeconds a message not received by every device within this long counts as
 *     lost
 * @param clientThreads event loops of the devices in this JVM
 * @param handshakes connections opening at once while the devices connect
 * @param httpConnections the publisher's keep-alive connections to a server's HTTP API
 * @param systems which systems to run; they always run in {@link PushSystem} order, one after
 *     another
 * @param phases which phases to run; always fan-out first
 * @param serverJvmArgs extra JVM flags for the Switchboard server (for example a JFR recording)
 * @param serverEnv extra environment of the Switchboard server
 * @param external a Switchboard server started by hand, used instead of starting one
 * @param nodeDir the folder of {@code socketio-server.mjs} and its {@code node_modules}
 */
record FanoutSettings(
    int connections,
    double seconds,
    double warmupSeconds,
    int rate,
    int payloadBytes,
    PushPayload.Shape payload,
    List<Integer> fanoutInflight,
    double messageTimeoutSeconds,
    int clientThreads,
    int handshakes,
    int httpConnections,
    Set<PushSystem> systems,
    Set<Phase> phases,
    List<String> serverJvmArgs,
    Map<String, String> serverEnv,
    Optional<ExternalServer> external,
    Path nodeDir) {

  /** The phases of a run; {@link #key()} is the {@code --phases} value. */
  enum Phase {
    FANOUT("fanout"),
    PUSH("push");

    private final String key;

    Phase(String key) {
      this.key = key;
    }

    String key() {
      return key;
    }

    static Phase fromKey(String key) {
      for (Phase phase : values()) {
        if (phase.key.equals(key)) {
          return phase;
        }
      }
      throw new IllegalArgumentException("unknown phase '" + key + "'; expected fanout or push");
    }
  }

  /** A Switchboard server that is already running: its HTTP base URI, API key and JWT secret. */
  record ExternalServer(URI uri, String apiKey, String jwtSecret) {
    ExternalServer {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(apiKey, "apiKey");
      Objects.requireNonNull(jwtSecret, "jwtSecret");
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("--switchboard-url needs a host and a port, got " + uri);
      }
    }
  }

  FanoutSettings {
    atLeast("--connections", connections, 1);
    positive("--seconds", seconds);
    if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
      throw new IllegalArgumentException(
          "--warmup-seconds must be 0 or more, got " + warmupSeconds);
    }
    atLeast("--rate", rate, 1);
    atLeast("--payload-bytes", payloadBytes, 0);
    Objects.requireNonNull(payload, "payload");
    fanoutInflight = List.copyOf(fanoutInflight);
    if (fanoutInflight.isEmpty() || fanoutInflight.size() > MAX_LEVELS) {
      throw new IllegalArgumentException(
          "--fanout-inflight must list 1 to " + MAX_LEVELS + " levels, got " + fanoutInflight);
    }
    fanoutInflight.forEach(k -> atLeast("--fanout-inflight", k, 1));
    if (fanoutInflight.stream().distinct().count() != fanoutInflight.size()) {
      throw new IllegalArgumentException(
          "--fanout-inflight lists a level twice: " + fanoutInflight);
    }
    positive("--message-timeout", messageTimeoutSeconds);
    atLeast("--client-threads", clientThreads, 1);
    atLeast("--handshakes", handshakes, 1);
    atLeast("--http-connections", httpConnections, 1);
    systems = Set.copyOf(systems);
    if (systems.isEmpty()) {
      throw new IllegalArgumentException("no system to run");
    }
    phases = Set.copyOf(phases);
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("no phase to run");
    }
    serverJvmArgs = List.copyOf(serverJvmArgs);
    serverEnv = Map.copyOf(serverEnv);
    Objects.requireNonNull(external, "external");
    Objects.requireNonNull(nodeDir, "nodeDir");
  }

  Duration measure() {
    return duration(seconds);
  }

  /** At most this many fan-out levels (each has its own range of sequence numbers). */
  static final int MAX_LEVELS = 16;

  Duration warmup() {
    return duration(warmupSeconds);
  }

  /**
   * The warm-up of the fan-out level at {@code index}: the full one for the first, at most 1 s
   * after it.
   */
  Duration fanoutWarmup(int index) {
    return index == 0 ? warmup() : duration(Math.min(1, warmupSeconds));
  }

  Duration messageTimeout() {
    return duration(messageTimeoutSeconds);
  }

  /** How long the devices may take to connect: a minute, or 10 ms a device when that is longer. */
  Duration connectTimeout() {
    return Duration.ofMillis(Math.max(60_000, 10L * connections));
  }

  private static Duration duration(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  private static void atLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be " + min + " or more, got " + value);
    }
  }

  private static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a number above 0, got " + value);
    }
  }
}
