package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.Mode;
import dev.switchboard.server.RateLimits;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./switchboard load} end to end against a real server in this JVM: a short smoke run with
 * devices of all three transports passes and writes its report; a server that refuses most devices
 * fails the run with exit code 1.
 */
class LoadCommandTest {

  @TempDir Path reports;

  @Test
  void aSmokeRunConnectsEveryDeviceDeliversEverythingAndWritesItsReport() throws Exception {
    try (SwitchboardServer server = developmentServer(RateLimits.OFF)) {
      Run run = load(server, "--duration", "6s");
      // Latency thresholds are not asserted: a test judges what happened, a benchmark how fast
      // (docs/load.md has the measured runs). The exit code must agree with the thresholds.
      assertThat(run.output)
          .contains("PASS device connects that succeeded")
          .contains("PASS HTTP sends that failed")
          .contains("PASS deliveries the server reported that reached a device");
      assertThat(run.exitCode).as(run.output).isEqualTo(run.output.contains("load: FAIL ") ? 1 : 0);
      String report = Files.readString(reports.resolve("smoke.md"));
      assertThat(report).contains("![latency](smoke-latency.png)");
      assertThat(reports.resolve("smoke-latency.png")).isNotEmptyFile();
      // Every connect succeeded (above 95% of ten is ten), and the ten were of all three kinds.
      assertThat(report).contains("6 ws, 2 sse, 2 wt");
    }
  }

  @Test
  void devicesThatLeaveMidRunTakeNothingWithThemThatTheServerCountedAsDelivered() throws Exception {
    // spike, shrunk: 3 devices, 100 within a second, back to 3; sends to users and channels all
    // along. Leaving devices unsubscribe first and close once the server answered.
    try (SwitchboardServer server = developmentServer(RateLimits.OFF)) {
      Run run = spike(server);
      assertThat(run.output)
          .contains("PASS device connects that succeeded")
          .contains("PASS deliveries the server reported that reached a device");
    }
  }

  private Run spike(SwitchboardServer server) {
    String[] args = {
      "spike",
      "--url=http://127.0.0.1:" + server.port(),
      "--report-dir",
      reports.toString(),
      "--duration",
      "8s",
      "--devices",
      "100"
    };
    return run(args);
  }

  @Test
  void aServerThatRefusesMostDevicesFailsTheRun() throws Exception {
    // Two device connections a minute from one address: of ten devices, most are refused (429).
    try (SwitchboardServer server = developmentServer(new RateLimits(0, 0, 2))) {
      Run run = load(server, "--duration", "4s", "--mix", "ws=1");
      assertThat(run.exitCode).as(run.output).isEqualTo(1);
      assertThat(run.output)
          .contains("FAIL device connects that succeeded")
          .contains("load: FAILED");
      assertThat(Files.readString(reports.resolve("smoke.md"))).contains("429");
    }
  }

  @Test
  void badArgumentsAreRefusedWithWhatWasWrong() {
    assertThatThrownBy(() -> LoadCommand.parseMix("ws=60,http=40"))
        .hasMessageContaining("ws, sse and wt");
    assertThatThrownBy(() -> LoadCommand.parseMix("ws=0")).hasMessageContaining("no transport");
    assertThat(LoadCommand.parseMix("ws=3, sse=0 ,wt=1"))
        .containsExactly(java.util.Map.entry("ws", 3), java.util.Map.entry("wt", 1));
    assertThat(LoadCommand.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(LoadCommand.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> LoadCommand.parseDuration("soon")).hasMessageContaining("30s, 5m");
    Run run = run("smoke", "--url", "ftp://x");
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.output).contains("http:// or https://");
  }

  private static SwitchboardServer developmentServer(RateLimits limits) throws Exception {
    return SwitchboardServer.start(
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .mode(Mode.DEVELOPMENT)
            .rateLimits(limits)
            .build());
  }

  private Run load(SwitchboardServer server, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "smoke";
    args[1] = "--url=http://127.0.0.1:" + server.port();
    args[2] = "--report-dir";
    args[3] = reports.toString();
    System.arraycopy(more, 0, args, 4, more.length);
    return run(args);
  }

  private record Run(int exitCode, String output) {}

  private static Run run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream was = System.out;
    PrintStream wasErr = System.err;
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      int code = new CommandLine(new LoadCommand()).execute(args);
      return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(was);
      System.setErr(wasErr);
    }
  }
}
