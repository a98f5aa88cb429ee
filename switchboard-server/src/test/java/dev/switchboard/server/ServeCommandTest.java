package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code switchboard serve} as a user runs it: a separate JVM that prints where it listens. */
class ServeCommandTest {

  private static final Pattern PORT = Pattern.compile("listening on http://[^:]+:(\\d+)");

  /** {@code java ... Main serve args}, run by this test's JVM on its class path. */
  private static ProcessBuilder serveCommand(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.switchboard.server.Main",
                "serve"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static Process serve(List<String> args, String portEnv) throws Exception {
    ProcessBuilder builder =
        serveCommand(args.toArray(String[]::new)).redirectError(ProcessBuilder.Redirect.DISCARD);
    if (portEnv != null) {
      builder.environment().put("SWITCHBOARD_PORT", portEnv);
    }
    return builder.start();
  }

  /** How a start that is refused ended: its exit code and everything it printed. */
  private record Refused(int exitCode, String output) {}

  /** Runs {@code serve args} with {@code env} added, expecting it to stop by itself. */
  private static Refused refused(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder builder = serveCommand(args).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Refused(process.exitValue(), output);
  }

  private static int listeningPort(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("first line of serve").isNotNull();
    Matcher matcher = PORT.matcher(line);
    assertThat(matcher.find()).as(line).isTrue();
    assertThat(line).contains("/ws");
    return Integer.parseInt(matcher.group(1));
  }

  private static void assertHealthy(int port) throws Exception {
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"healthy\"");
  }

  private static void stop(Process process) throws Exception {
    process.destroy(); // SIGTERM: the shutdown hook closes the server
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("serve stopped on SIGTERM").isTrue();
  }

  /**
   * The launcher runs every JVM (serve and bench) with -XX:+ExitOnOutOfMemoryError: an
   * OutOfMemoryError in any thread ends the process for its supervisor to restart, instead of
   * leaving a server that no longer accepts.
   */
  @Test
  void theLauncherExitsTheJvmOnOutOfMemory() throws Exception {
    String script = java.nio.file.Files.readString(java.nio.file.Path.of("..", "switchboard"));
    String execJava =
        script.substring(
            script.indexOf("exec_java() {"),
            script.indexOf("\n}\n", script.indexOf("exec_java() {")));
    assertThat(execJava)
        .contains("opts+=(-XX:+ExitOnOutOfMemoryError)")
        .contains("exec \"$JAVA_HOME/bin/java\" ${opts[@]+\"${opts[@]}\"}");
  }

  @Test
  void servePrintsItsUrlAndAnswersHealth() throws Exception {
    Process process = serve(List.of("--host", "127.0.0.1", "--port", "0"), null);
    try {
      assertHealthy(listeningPort(process));
      stop(process);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void thePortComesFromSwitchboardPortWhenNotGiven() throws Exception {
    Process process = serve(List.of("--host", "127.0.0.1"), "0");
    try {
      int port = listeningPort(process);
      assertThat(port).isNotEqualTo(8080);
      assertHealthy(port);
      stop(process);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aBadPortIsAClearError() throws Exception {
    Refused run = refused(Map.of(), "--port", "eighty");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output()).contains("--port").contains("eighty");
  }

  @Test
  void sigtermTellsEveryDeviceToComeBackLaterBeforeClosing() throws Exception {
    Process process = serve(List.of("--host", "127.0.0.1", "--port", "0"), null);
    try (PushDevice device =
        PushDevice.connect(
            "dev",
            URI.create("ws://127.0.0.1:" + listeningPort(process) + "/ws"),
            java.util.Map.of())) {
      device.awaitReady();
      stop(process);
      PushDevice.Closed closed = device.awaitClosed(java.time.Duration.ofSeconds(20));
      assertThat(closed.code()).isEqualTo(1001);
      JsonNode last = device.messages().getLast();
      assertThat(last.path("method").asText()).isEqualTo("shutdown");
      assertThat(last.path("params").path("reconnect_after_seconds").asInt()).isEqualTo(5);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void productionModeWithoutKeysRefusesToStartAndSaysWhatIsMissing() throws Exception {
    Refused run = refused(Map.of(), "--mode", "production", "--port", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains("production mode needs")
        .contains("jwt.secret")
        .contains("api_key");
  }

  @Test
  void badSettingsAreEachReportedOnOneLineWithoutAStackTrace() throws Exception {
    Refused run =
        refused(
            Map.of(),
            "--set",
            "jwt.secret=too-short",
            "--set",
            "limits.max_connections=many",
            "--port",
            "0");
    String output = run.output();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(output.lines().filter(line -> !line.startsWith("WARNING")).toList())
        .satisfiesExactlyInAnyOrder(
            line -> assertThat(line).startsWith("switchboard: ").contains("jwt.secret is 9 bytes"),
            line ->
                assertThat(line)
                    .startsWith("switchboard: ")
                    .contains("limits.max_connections from --set limits.max_connections"));
    assertThat(output).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void anInvalidEnvironmentValueStopsStartUpNamingTheKey() throws Exception {
    Refused run =
        refused(Map.of("SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_USER", "-3"), "--port", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains("limits.max_connections_per_user")
        .contains("SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_USER")
        .contains("\"-3\"");
  }

  @Test
  void tracingSettingsTheSdkRefusesStopStartUpOnOneLine() throws Exception {
    Refused run =
        refused(
            Map.of("SWITCHBOARD_TRACING_ENABLED", "true", "OTEL_EXPORTER_OTLP_PROTOCOL", "bogus"),
            "--port",
            "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains("switchboard: invalid tracing settings")
        .contains("bogus")
        .doesNotContain("\tat ");
  }

  @Test
  void aRedisThatCannotBeReachedAtStartStopsItOnOneLine() throws Exception {
    Refused run = refused(Map.of("SWITCHBOARD_REDIS_URL", "redis://127.0.0.1:1"), "--port", "0");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output())
        .contains("switchboard: cannot reach Redis at 127.0.0.1:1")
        .contains("SWITCHBOARD_REDIS_URL")
        .doesNotContain("\tat ");
  }
}
