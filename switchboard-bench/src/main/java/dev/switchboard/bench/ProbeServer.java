package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server under attack, started exactly as a user starts it: {@code ./switchboard serve --mode
 * production} (the launcher script, so its JVM flags apply) with a JWT secret and an API key made
 * up for the run, on a free port, with {@code --set} options only where an attack needs them. Its
 * stdout and stderr go to two files (the probe greps them for stack traces). It reads the server
 * JVM's memory ({@code VmRSS}) and sockets from {@code /proc}.
 */
final class ProbeServer implements AutoCloseable {

  private static final Duration START_TIMEOUT =
      Duration.ofSeconds(240); // the launcher may build first
  private static final long STOP_GRACE_MILLIS = 20_000;
  private static final String MAIN = "dev.switchboard.server.Main";
  private static final String API_FROM = "127.0.0.3";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private final String name;
  private final List<String> command;
  private final Process launcher;
  private final ProcessHandle jvm;
  private final int port;
  private final String secret;
  private final String apiKey;
  private final Path out;
  private final Path err;
  private ProbeClient api;

  private ProbeServer(
      String name,
      List<String> command,
      Process launcher,
      ProcessHandle jvm,
      int port,
      String secret,
      String apiKey,
      Path out,
      Path err) {
    this.name = name;
    this.command = command;
    this.launcher = launcher;
    this.jvm = jvm;
    this.port = port;
    this.secret = secret;
    this.apiKey = apiKey;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code ./switchboard serve --mode production --port N [--set k=v ...]} from {@code root}
   * and waits for {@code GET /health}. Inherited {@code SWITCHBOARD_*} variables are removed so
   * that only what is shown applies.
   */
  static ProbeServer start(String name, Path root, List<String> sets, Path logDir)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(name, root, sets, logDir);
      } catch (BenchmarkException e) {
        // The launcher builds first when sources changed; a build racing an edit in the checkout
        // fails: retry.
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("build failed")) {
          throw e;
        }
        System.err.println("probe: the launcher's build failed; trying again in 20 s");
        Thread.sleep(20_000);
      }
    }
  }

  private static ProbeServer startOnce(String name, Path root, List<String> sets, Path logDir)
      throws IOException, InterruptedException {
    int port = SwitchboardProcess.freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                "./switchboard",
                "serve",
                "--mode",
                "production",
                "--port",
                Integer.toString(port)));
    sets.forEach(s -> command.addAll(List.of("--set", s)));
    Path out = logDir.resolve("server-" + name + ".out.log");
    Path err = logDir.resolve("server-" + name + ".err.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
    String secret = random(48);
    String apiKey = random(24);
    env.put("SWITCHBOARD_JWT_SECRET", secret);
    env.put("SWITCHBOARD_API_KEY", apiKey);
    Process launcher = ChildProcesses.start(builder);
    try {
      awaitHealthy(launcher, port, err);
      ProcessHandle jvm = findJvm(launcher);
      return new ProbeServer(name, command, launcher, jvm, port, secret, apiKey, out, err);
    } catch (InterruptedException | RuntimeException e) {
      ChildProcesses.stop(launcher, STOP_GRACE_MILLIS);
      throw e;
    }
  }

  private static void awaitHealthy(Process launcher, int port, Path err)
      throws InterruptedException {
    SwitchboardProcess.awaitUp(
        launcher,
        err,
        START_TIMEOUT,
        () -> {
          try (ProbeClient c = ProbeClient.open(port, "127.0.0.1")) {
            c.readTimeout(Duration.ofSeconds(2));
            return c.get("/health", List.of()).status() == 200;
          }
        });
  }

  /**
   * The launcher execs the JVM, so it usually is the JVM; else the descendant that runs the
   * server's main.
   */
  private static ProcessHandle findJvm(Process launcher) {
    if (isServerJvm(launcher.toHandle())) {
      return launcher.toHandle();
    }
    return launcher
        .descendants()
        .filter(ProbeServer::isServerJvm)
        .findFirst()
        .orElseThrow(
            () ->
                new BenchmarkException(
                    "cannot find the server's JVM under the launcher (pid "
                        + launcher.pid()
                        + ")"));
  }

  private static boolean isServerJvm(ProcessHandle p) {
    try {
      String cmdline =
          Files.readString(
              Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
      return cmdline.contains(MAIN);
    } catch (IOException e) {
      return p.info().arguments().map(a -> List.of(a).contains(MAIN)).orElse(false);
    }
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  String apiKey() {
    return apiKey;
  }

  String secret() {
    return secret;
  }

  long pid() {
    return jvm.pid();
  }

  /** The command line, secrets left out (they are in the environment). */
  String commandLine() {
    return String.join(" ", command);
  }

  Path stderrLog() {
    return err;
  }

  boolean alive() {
    return jvm.isAlive();
  }

  /** The server JVM's resident set in kB, or empty once it is gone. */
  OptionalLong rssKb() {
    try {
      Matcher m =
          RSS.matcher(Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "status")));
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** {@code GET /stats} with the API key, on a keep-alive connection of its own. */
  synchronized JsonNode stats() throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      ProbeClient.Answer answer = api("GET", "/stats", new byte[0]);
      if (answer.status() == 200 || attempt == 10) {
        return JSON.readTree(answer.body());
      }
      Thread.sleep(500); // 429: an attack spent the API key's budget
    }
  }

  /** {@code messages.slow_consumers_disconnected} of {@code /stats}. */
  long slowConsumers() throws IOException, InterruptedException {
    return stats().path("messages").path("slow_consumers_disconnected").asLong();
  }

  /**
   * One API request with the right key on the probe's keep-alive API connection (reopened when
   * closed).
   */
  synchronized ProbeClient.Answer api(String method, String path, byte[] body) throws IOException {
    List<String> headers = List.of("X-API-Key: " + apiKey, "Content-Type: application/json");
    for (int attempt = 0; ; attempt++) {
      try {
        if (api == null) {
          api = ProbeClient.open(port, API_FROM);
          api.readTimeout(Duration.ofSeconds(10));
        }
        return api.exchange(method, path, headers, body);
      } catch (IOException e) {
        if (api != null) {
          api.close();
          api = null;
        }
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  /**
   * The state of the server's end of the client connection from local port {@code clientPort}, as
   * {@code /proc/net/tcp} and {@code tcp6} show it ("ESTABLISHED", ...), or empty when it is gone.
   */
  Optional<String> serverSocketState(int clientPort) {
    String local = ProcNetTcp.portSuffix(port);
    String remote = ProcNetTcp.portSuffix(clientPort);
    return ProcNetTcp.find(f -> f.length > 3 && f[1].endsWith(local) && f[2].endsWith(remote))
        .map(f -> tcpState(f[3]));
  }

  private static String tcpState(String hex) {
    String[] names = {
      "?",
      "ESTABLISHED",
      "SYN_SENT",
      "SYN_RECV",
      "FIN_WAIT1",
      "FIN_WAIT2",
      "TIME_WAIT",
      "CLOSE",
      "CLOSE_WAIT",
      "LAST_ACK",
      "LISTEN",
      "CLOSING"
    };
    int state = Integer.parseInt(hex, 16);
    return state < names.length ? names[state] : hex;
  }

  /** Runs {@code jcmd <pid> args} with this JVM's jcmd; its output. */
  String jcmd(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(jvm.pid())));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  /**
   * Bytes of live objects: the total of {@code GC.class_histogram}, which runs a full collection
   * first.
   */
  OptionalLong liveHeapBytes() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(jcmd("GC.class_histogram"));
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** Lines of the server's stdout and stderr that match {@code pattern}. */
  List<String> outputMatching(Pattern pattern) {
    List<String> hits = new ArrayList<>();
    for (Path log : List.of(out, err)) {
      try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
        lines.filter(l -> pattern.matcher(l).find()).forEach(hits::add);
      } catch (IOException | UncheckedIOException e) {
        hits.add("(cannot read " + log + ": " + e.getMessage() + ")");
      }
    }
    return hits;
  }

  /**
   * Sends SIGTERM to the server's JVM and waits up to {@code max} for it to exit; how long it took,
   * or empty.
   */
  Optional<Duration> terminate(Duration max) throws InterruptedException {
    long start = System.nanoTime();
    jvm.destroy();
    try {
      jvm.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.of(Duration.ofNanos(System.nanoTime() - start));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  /**
   * The launcher's exit code once it is gone (the JVM's, since the launcher execs it), or empty.
   */
  Optional<Integer> exitCode() {
    return launcher.isAlive() ? Optional.empty() : Optional.of(launcher.exitValue());
  }

  /** Stops the server (SIGTERM, then SIGKILL after 20 s). Idempotent. */
  @Override
  public synchronized void close() {
    if (api != null) {
      api.close();
      api = null;
    }
    if (jvm.isAlive() && jvm.pid() != launcher.pid()) {
      jvm.destroy();
    }
    ChildProcesses.stop(launcher, STOP_GRACE_MILLIS);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
