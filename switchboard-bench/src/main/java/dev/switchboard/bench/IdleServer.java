package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server of {@code bench connections}: {@code dev.switchboard.server.Main serve} in a child JVM
 * (same java and class path as this one), in production mode with a JWT secret and an API key made
 * up for the run, and only the limits raised that {@code count} idle devices from one machine would
 * hit: {@code limits.max_connections} and {@code websocket.connections_per_minute_per_ip}. Every
 * device has its own user, so {@code limits.max_connections_per_user} stays at its default. Its
 * output goes to a log file. It reads the child's memory with {@code jcmd}, {@code /metrics} and
 * {@code /proc}.
 */
final class IdleServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final long STOP_GRACE_MILLIS = 10_000;
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final Pattern DIRECT =
      Pattern.compile("(?m)^jvm_buffer_memory_used_bytes\\{[^}]*id=\"direct\"[^}]*}\\s+(\\S+)");

  private final Process process;
  private final int port;
  private final String secret;
  private final String apiKey;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private IdleServer(Process process, int port, String secret, String apiKey, Path log) {
    this.process = process;
    this.port = port;
    this.secret = secret;
    this.apiKey = apiKey;
    this.log = log;
  }

  /** Starts the server for {@code count} devices and waits until {@code GET /health} answers. */
  static IdleServer start(int count) throws IOException, InterruptedException {
    int port = SwitchboardProcess.freePort();
    Path log = Files.createTempFile("switchboard-connections-server-", ".log");
    List<String> command = new ArrayList<>(SwitchboardProcess.serverJava());
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), SwitchboardProcess.MAIN, "serve"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
    String secret = SwitchboardProcess.randomToken();
    String apiKey = SwitchboardProcess.randomToken();
    env.put("SWITCHBOARD_PORT", Integer.toString(port));
    env.put("SWITCHBOARD_MODE", "production");
    env.put("SWITCHBOARD_JWT_SECRET", secret);
    env.put("SWITCHBOARD_API_KEY", apiKey);
    env.put("SWITCHBOARD_LIMITS_MAX_CONNECTIONS", Integer.toString(Math.max(10_000, count + 100)));
    // Every device comes from a few loopback addresses: 10 upgrades a minute per address would
    // measure the limiter.
    env.put("SWITCHBOARD_WEBSOCKET_CONNECTIONS_PER_MINUTE_PER_IP", "0");
    System.err.println("connections: Switchboard server on port " + port + ", log in " + log);
    Process process = ChildProcesses.start(builder);
    IdleServer server = new IdleServer(process, port, secret, apiKey, log);
    try {
      server.awaitHealthy();
      return server;
    } catch (InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void awaitHealthy() throws InterruptedException {
    SwitchboardProcess.awaitUp(
        process, log, START_TIMEOUT, () -> get("/health").statusCode() == 200);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("X-API-Key", apiKey)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  int port() {
    return port;
  }

  String secret() {
    return secret;
  }

  long pid() {
    return process.pid();
  }

  /**
   * The server's memory now: live heap and class histogram after a full collection ({@code jcmd
   * GC.class_histogram} collects first), direct buffers from {@code /metrics}, RSS from {@code
   * /proc}.
   */
  MemorySnapshot measure() throws IOException, InterruptedException {
    jcmd("GC.run");
    String histogram = jcmd("GC.class_histogram");
    return new MemorySnapshot(
        ClassHistogram.parse(histogram), directBytes(), rssBytes().orElse(-1));
  }

  private long directBytes() throws InterruptedException {
    try {
      HttpResponse<String> metrics = get("/metrics");
      Matcher m = DIRECT.matcher(metrics.body());
      return metrics.statusCode() == 200 && m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private OptionalLong rssBytes() {
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Runs {@code jcmd <pid> args} with this JVM's jcmd; its output. */
  private String jcmd(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(pid()));
    command.addAll(List.of(args));
    Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = jcmd.getInputStream().readAllBytes();
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new BenchmarkException(
          "jcmd "
              + String.join(" ", args)
              + " failed: "
              + new String(output, StandardCharsets.UTF_8));
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s). Idempotent. */
  @Override
  public void close() {
    ChildProcesses.stop(process, STOP_GRACE_MILLIS);
  }
}
