package dev.switchboard.bench.load;

import dev.switchboard.bench.DeviceTokens;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./switchboard load <profile> --url URL}: runs one of Ara's load profiles against a running
 * server with devices of every transport and HTTP senders, judges Ara's thresholds, writes a
 * Markdown report and a latency plot to {@code load-report/}, and exits 0 only when every threshold
 * held (1 when one did not, 2 when the run could not start).
 */
@Command(
    name = "switchboard load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a load profile against a running server: devices (WebSocket, SSE, WebTransport)"
          + " connect and follow channels while HTTP senders call the notification API; exits 0"
          + " only when every threshold holds.",
      "Profiles: smoke, baseline, medium, high, stress, soak, spike (see docs/load.md).",
      "A server refuses more than 10 device connections a minute from one address by default:"
          + " start it with --set websocket.connections_per_minute_per_ip=0 and --set"
          + " http.rate_limit_per_second=0 for a load test from one machine."
    })
public final class LoadCommand implements Callable<Integer> {

  /** Sends before the run, not measured (see {@link HttpSenders#warmUp}). */
  static final int WARM_UP_SENDS = 300;

  @Parameters(index = "0", paramLabel = "PROFILE", description = "smoke, baseline, medium, ...")
  String profileName;

  @Option(names = "--url", required = true, description = "The server, e.g. http://127.0.0.1:8080")
  URI url;

  @Option(names = "--api-key", description = "X-API-Key for the notification API.")
  String apiKey;

  @Option(
      names = "--jwt-secret",
      description = "The server's HS256 secret: devices connect with tokens signed by it.")
  String jwtSecret;

  @Option(
      names = "--duration",
      description = "Stretch or shrink the profile to this length (30s, 5m, 1h).")
  String duration;

  @Option(
      names = "--devices",
      description = "Scale the profile's devices so that its peak is this many.")
  Integer devices;

  @Option(
      names = "--mix",
      defaultValue = "ws=60,sse=20,wt=20",
      description = "Devices by transport, by weight (default: ${DEFAULT-VALUE}).")
  String mix;

  @Option(
      names = "--report-dir",
      defaultValue = "load-report",
      description = "Where the report goes (default: ${DEFAULT-VALUE}).")
  Path reportDir;

  @Option(
      names = "--server-pid",
      description =
          "The server's process id, for its CPU per delivery (found by itself on loopback).")
  Long serverPid;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // the plot is drawn off screen
    System.exit(new CommandLine(new LoadCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    LoadProfile profile;
    LoadTarget target;
    Map<String, Integer> weights;
    try {
      profile = LoadProfile.named(profileName);
      if (duration != null) {
        profile = profile.lasting(parseDuration(duration));
      }
      if (devices != null) {
        if (devices < 1) {
          throw new IllegalArgumentException("--devices must be at least 1, got " + devices);
        }
        profile = profile.peakingAt(devices);
      }
      target = new LoadTarget(url, Optional.ofNullable(apiKey), Optional.ofNullable(jwtSecret));
      weights = parseMix(mix);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    List<String> notes = new ArrayList<>();
    Optional<String> unreachable = check(target, weights, notes);
    if (unreachable.isPresent()) {
      System.err.println("switchboard load: " + unreachable.get());
      return 2;
    }
    Optional<ProcessHandle> server =
        serverPid != null
            ? ProcessHandle.of(serverPid)
            : ServerProcess.find(url.getHost(), port(url));
    out.printf(
        Locale.ROOT,
        "load: profile %s (%s): %d s, up to %,d devices (%s) and %s sends/s, against %s%s%n",
        profile.name(),
        profile.purpose(),
        profile.duration().toSeconds(),
        profile.peakDevices(),
        weights,
        profile.stages().stream().mapToInt(LoadProfile.Stage::sendsPerSecond).max().orElse(0),
        url,
        server.map(p -> " (server pid " + p.pid() + ")").orElse(""));
    return run(profile, target, weights, server, notes, out);
  }

  private int run(
      LoadProfile profile,
      LoadTarget target,
      Map<String, Integer> weights,
      Optional<ProcessHandle> server,
      List<String> notes,
      PrintStream out)
      throws Exception {
    Recorder messageLatency = new Recorder(3);
    Recorder httpLatency = new Recorder(3);
    LongAdder received = new LongAdder();
    DeviceListener deliveries =
        new DeviceListener() {
          @Override
          public void delivered(String id, long sentNanos, long receivedNanos) {
            received.increment();
            if (sentNanos > 0) {
              messageLatency.recordValue(Math.max(0, (receivedNanos - sentNanos) / 1_000));
            }
          }

          @Override
          public void dropped(String transport, String reason) {}
        };
    Optional<DeviceTokens> tokens =
        target
            .jwtSecret()
            .map(
                s ->
                    new DeviceTokens(
                        s, Clock.systemUTC(), profile.duration().plus(Duration.ofMinutes(10))));
    Map<String, DeviceTransport> transports = transports(target, weights);
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    String prefix = "load-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    DeviceCrowd crowd =
        new DeviceCrowd(
            transports,
            weights,
            prefix,
            Math.max(1, profile.peakDevices() / 20),
            tokens,
            deliveries,
            scheduler,
            100);
    LoadRun.Measured m;
    long sent;
    long failed;
    long expected;
    try (HttpSenders senders = new HttpSenders(target, crowd, httpLatency)) {
      senders.warmUp(WARM_UP_SENDS, prefix + "warm-up");
      m =
          new LoadRun(profile, crowd, senders, messageLatency, httpLatency, received, server, out)
              .run();
      sent = senders.sent();
      failed = senders.failed();
      expected = senders.expected();
      senders.problems().forEach(p -> notes.add("HTTP: " + p));
    } finally {
      scheduler.shutdownNow();
      transports.values().forEach(DeviceTransport::close);
    }
    notes.addAll(m.memory());
    crowd.connectProblems().forEach(p -> notes.add("connect failed: " + p));
    crowd.dropProblems().forEach(p -> notes.add("closed by the server: " + p));
    if (!m.drained()) {
      notes.add(
          "10 s after the last send, "
              + (expected - received.sum())
              + " deliveries the server reported had not reached their devices");
    }
    Percentiles message = LoadRun.percentiles(m.messages());
    Percentiles http = LoadRun.percentiles(m.http());
    LoadSummary summary =
        new LoadSummary(
            profile.name(),
            target.base(),
            m.started(),
            m.duration(),
            crowd.opened(),
            crowd.attempts(),
            crowd.succeeded(),
            crowd.dropped(),
            sent,
            failed,
            expected,
            received.sum(),
            message,
            http,
            m.serverCpuSeconds() < 0 || received.sum() == 0
                ? -1
                : m.serverCpuSeconds() * 1000 / received.sum(),
            Thresholds.judge(
                crowd.attempts(),
                crowd.succeeded(),
                sent,
                failed,
                expected,
                received.sum(),
                message,
                http),
            m.timeline(),
            notes);
    LoadReport.Written written =
        LoadReport.write(
            reportDir,
            summary,
            new LatencyLimits(
                Thresholds.MESSAGE_P95_MS,
                Thresholds.MESSAGE_P99_MS,
                Thresholds.HTTP_P95_MS,
                Thresholds.HTTP_P99_MS));
    for (Threshold t : summary.thresholds()) {
      out.printf(
          Locale.ROOT,
          "load: %s %-55s %-10s %s%n",
          t.passed() ? "PASS" : "FAIL",
          t.name(),
          t.limit(),
          t.measured());
    }
    out.printf(
        Locale.ROOT,
        "load: %s: report %s, plot %s%n",
        summary.passed() ? "PASSED" : "FAILED",
        written.markdown(),
        written.plot());
    return summary.passed() ? 0 : 1;
  }

  /**
   * The server answers /health; WebTransport devices are left out (with a note) when it serves no
   * WebTransport. Empty when the run can go ahead, else why not.
   */
  private static Optional<String> check(
      LoadTarget target, Map<String, Integer> weights, List<String> notes) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(target.resolve("/health"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (health.statusCode() != 200) {
        return Optional.of(
            target.resolve("/health") + " answered " + health.statusCode() + ": " + health.body());
      }
      if (weights.containsKey("wt")) {
        HttpRequest.Builder wtInfo =
            HttpRequest.newBuilder(target.resolve("/api/v1/webtransport"))
                .timeout(Duration.ofSeconds(10));
        target.apiKey().ifPresent(k -> wtInfo.header("X-API-Key", k));
        HttpResponse<String> wt = http.send(wtInfo.build(), HttpResponse.BodyHandlers.ofString());
        if (wt.statusCode() != 200) {
          weights.remove("wt");
          notes.add(
              "no WebTransport devices: the server serves no WebTransport (GET"
                  + " /api/v1/webtransport answered "
                  + wt.statusCode()
                  + "; set webtransport.port)");
        }
      }
    } catch (java.io.IOException e) {
      return Optional.of("cannot reach " + target.base() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
    if (weights.isEmpty()) {
      return Optional.of("no transport left to run devices on (--mix)");
    }
    return Optional.empty();
  }

  private static Map<String, DeviceTransport> transports(
      LoadTarget target, Map<String, Integer> weights) {
    Duration timeout = Duration.ofSeconds(10);
    Map<String, DeviceTransport> transports = new LinkedHashMap<>();
    for (String name : weights.keySet()) {
      transports.put(
          name,
          switch (name) {
            case "ws" -> new WebSocketTransport(target, 2, timeout);
            case "sse" -> new SseTransport(target, timeout);
            case "wt" -> new WebTransportTransport(target, timeout);
            default -> throw new IllegalStateException(name);
          });
    }
    return transports;
  }

  /** {@code ws=60,sse=20,wt=20}: transports with a weight above 0, in the order given. */
  static Map<String, Integer> parseMix(String mix) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : mix.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2 || !List.of("ws", "sse", "wt").contains(kv[0].trim())) {
        throw new IllegalArgumentException(
            "--mix takes transport=weight pairs of ws, sse and wt, e.g. ws=60,sse=20,wt=20; got '"
                + mix
                + "'");
      }
      int weight;
      try {
        weight = Integer.parseInt(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--mix: '" + kv[1] + "' is not a whole number");
      }
      if (weight < 0) {
        throw new IllegalArgumentException("--mix: a weight is 0 or more, got " + weight);
      }
      if (weight > 0) {
        weights.put(kv[0].trim(), weight);
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("--mix gives no transport a weight above 0");
    }
    return weights;
  }

  /** {@code 90s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT90S}). */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt")) {
        return positive(Duration.parse(text.trim()), text);
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return positive(
          switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new NumberFormatException();
          },
          text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--duration takes 30s, 5m, 1h or PT90S, got '" + text + "'");
    }
  }

  private static Duration positive(Duration d, String text) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("--duration must be longer than 0, got '" + text + "'");
    }
    return d;
  }

  private static int port(URI url) {
    return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
  }
}
