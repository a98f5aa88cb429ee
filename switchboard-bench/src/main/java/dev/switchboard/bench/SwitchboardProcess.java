package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Switchboard as the fan-out benchmark runs it: the real server command line ({@code
 * dev.switchboard.server.Main serve}) in a child JVM, configured as an operator would, through its
 * environment: a free port, development mode, a JWT secret and an API key made up for the run, a
 * connection limit above the device count. Its output goes to a log file (ten thousand connections
 * make a long log), whose path is printed. Or a server started by hand ({@code --switchboard-url}).
 */
final class SwitchboardProcess {

  static final String MAIN = "dev.switchboard.server.Main";
  static final String CHANNEL_PATH = "/api/v1/notifications/channel";
  static final String SEND_PATH = "/api/v1/notifications/send";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  private static final long STOP_GRACE_MILLIS = 10_000;

  private SwitchboardProcess() {}

  /** Starts a server in a child JVM and waits until {@code GET /health} answers 200. */
  static PushTarget start(FanoutSettings settings) throws IOException, InterruptedException {
    return start(settings, randomToken(), randomToken());
  }

  /**
   * As {@link #start(FanoutSettings)}, with the JWT secret and API key given: the nodes of a
   * cluster share them ({@link #randomToken()} makes good ones).
   */
  static PushTarget start(FanoutSettings settings, String secret, String apiKey)
      throws IOException, InterruptedException {
    int port = freePort();
    Path log = Files.createTempFile("switchboard-fanout-server-", ".log");
    List<String> command = new ArrayList<>(serverJava());
    command.addAll(settings.serverJvmArgs());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN, "serve"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("SWITCHBOARD_PORT", Integer.toString(port));
    env.put("SWITCHBOARD_MODE", "development");
    env.put("SWITCHBOARD_JWT_SECRET", secret);
    env.put("SWITCHBOARD_API_KEY", apiKey);
    env.put(
        "SWITCHBOARD_LIMITS_MAX_CONNECTIONS",
        Integer.toString(Math.max(20_000, 2 * settings.connections())));
    // One publisher and every device come from 127.0.0.1: serve's per-key and per-address rate
    // limits
    // (100 requests/s, 10 upgrades/min) would measure the limiter, not delivery.
    env.put("SWITCHBOARD_HTTP_RATE_LIMIT_PER_SECOND", "0");
    env.put("SWITCHBOARD_WEBSOCKET_CONNECTIONS_PER_MINUTE_PER_IP", "0");
    env.putAll(settings.serverEnv());
    System.err.println("fanout: Switchboard server on port " + port + ", log in " + log);
    Process process = ChildProcesses.start(builder);
    JsonHttp http =
        new JsonHttp(
            FanoutBenchmark.HOST, port, Map.of("X-API-Key", apiKey), settings.httpConnections());
    try {
      JsonNode health = awaitHealthy(http, START_TIMEOUT, process, log);
      return new PushTarget(
          label(health),
          port,
          devices(secret),
          http,
          CHANNEL_PATH,
          SEND_PATH,
          () -> ChildProcesses.stop(process, STOP_GRACE_MILLIS),
          Optional.of(process.toHandle()));
    } catch (InterruptedException | RuntimeException e) {
      http.close();
      ChildProcesses.stop(process, STOP_GRACE_MILLIS);
      throw e;
    }
  }

  /** A server started by hand; checks its health, and leaves it running on close. */
  static PushTarget attach(FanoutSettings.ExternalServer server, int httpConnections)
      throws InterruptedException {
    JsonHttp http =
        new JsonHttp(
            server.uri().getHost(),
            server.uri().getPort(),
            Map.of("X-API-Key", server.apiKey()),
            httpConnections);
    try {
      JsonNode health = awaitHealthy(http, ATTACH_TIMEOUT, null, null);
      return new PushTarget(
          label(health) + " at " + server.uri(),
          server.uri().getPort(),
          devices(server.jwtSecret()),
          http,
          CHANNEL_PATH,
          SEND_PATH,
          () -> {},
          Optional.empty());
    } catch (InterruptedException | RuntimeException e) {
      http.close();
      throw e;
    }
  }

  private static SwitchboardDevices devices(String secret) {
    return new SwitchboardDevices(new DeviceTokens(secret, Clock.systemUTC(), TOKEN_LIFETIME));
  }

  /**
   * Polls {@code GET /health}; {@code process} and {@code log} are null for a server started by
   * hand.
   */
  private static JsonNode awaitHealthy(JsonHttp http, Duration timeout, Process process, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new BenchmarkException(
            "the Switchboard server exited with code "
                + process.exitValue()
                + " before it was healthy; the end of its log ("
                + log
                + "):\n"
                + tail(log));
      }
      try {
        JsonNode health =
            http.get("/health").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        if ("healthy".equals(health.path("status").asText())) {
          return health;
        }
        last = new BenchmarkException("GET /health answered " + health);
      } catch (ExecutionException e) {
        last = e.getCause();
      } catch (TimeoutException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new BenchmarkException(
        "the Switchboard server was not healthy within "
            + timeout.toSeconds()
            + " s; last answer: "
            + last
            + (log == null ? "" : "; the end of its log (" + log + "):\n" + tail(log)));
  }

  private static String label(JsonNode health) {
    String version = health.path("version").asText("");
    if (version.isEmpty()) {
      version = buildVersion();
    }
    return "Switchboard " + version + " (java " + Runtime.version().feature() + ")";
  }

  /**
   * The version the build stamped into the server's jar, as {@code switchboard --version} reports
   * it.
   */
  private static String buildVersion() {
    try (InputStream in =
        SwitchboardProcess.class.getResourceAsStream("/switchboard-version.properties")) {
      if (in == null) {
        return "?";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "?");
    } catch (IOException e) {
      return "?";
    }
  }

  /** One look at a starting server: true once it is up; an IOException means not listening yet. */
  @FunctionalInterface
  interface HealthCheck {
    boolean up() throws IOException, InterruptedException;
  }

  /**
   * Asks {@code check} every 250 ms until it says the server in {@code process} is up; fails, with
   * the end of {@code log}, when the process exits first or {@code timeout} passes.
   */
  static void awaitUp(Process process, Path log, Duration timeout, HealthCheck check)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new BenchmarkException(
            "the server exited with code "
                + process.exitValue()
                + " before it answered /health; the end of "
                + log
                + ":\n"
                + tail(log));
      }
      try {
        if (check.up()) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new BenchmarkException(
        "the server did not answer /health within "
            + timeout.toSeconds()
            + " s; the end of "
            + log
            + ":\n"
            + tail(log));
  }

  /** The last 30 lines of a child's log, for an error message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read it: " + e.getMessage() + ")";
    }
  }

  /**
   * This JVM's {@code java} with the flags ./switchboard's exec_java gives a server: native access
   * for WebTransport's QUIC library (JDK 22+ warns without it), {@code sun.misc.Unsafe} for
   * msgpack-core (JDK 24+ warns).
   */
  static List<String> serverJava() {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (Runtime.version().feature() >= 22) {
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    return command;
  }

  /**
   * A port nobody listens on now; the server binds it a moment later (a race the benchmark
   * accepts).
   */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** 32 random bytes, Base64url: a JWT secret or an API key made up for one run. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
