package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server {@code bench wt} measures: {@code dev.switchboard.server.Main serve} in a child JVM,
 * in development mode (which turns WebTransport on, on the HTTP port's number over UDP), with the
 * limits that would measure themselves instead of the transport turned off: the per-connection
 * message rate (pipelined calls), the HTTP API's request rate (one push after another from one
 * address) and the upgrade rate. Its output goes to a log file whose path is printed.
 */
final class WtServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final long STOP_GRACE_MILLIS = 10_000;

  private final Process process;
  private final int port;

  private WtServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the server and waits until {@code GET /api/v1/webtransport} answers 200, that is until
   * HTTP listens and WebTransport is on.
   *
   * @param jvmArgs extra flags of the child JVM (for example a JFR recording)
   * @throws BenchmarkException when it exits or does not answer within 60 s
   */
  static WtServer start(List<String> jvmArgs) throws IOException, InterruptedException {
    int port = SwitchboardProcess.freePort();
    Path log = Files.createTempFile("switchboard-wt-server-", ".log");
    List<String> command = new ArrayList<>(SwitchboardProcess.serverJava());
    command.addAll(jvmArgs);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), SwitchboardProcess.MAIN, "serve"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
    env.put("SWITCHBOARD_PORT", Integer.toString(port));
    env.put("SWITCHBOARD_MODE", "development");
    env.put("SWITCHBOARD_WEBSOCKET_MESSAGES_PER_SECOND", "0");
    env.put("SWITCHBOARD_HTTP_RATE_LIMIT_PER_SECOND", "0");
    env.put("SWITCHBOARD_WEBSOCKET_CONNECTIONS_PER_MINUTE_PER_IP", "0");
    System.err.println("wt: Switchboard server on port " + port + " (tcp and udp), log in " + log);
    Process process = ChildProcesses.start(builder);
    try {
      awaitWebTransport(port, process, log);
      return new WtServer(process, port);
    } catch (InterruptedException | RuntimeException e) {
      ChildProcesses.stop(process, STOP_GRACE_MILLIS);
      throw e;
    }
  }

  private static void awaitWebTransport(int port, Process process, Path log)
      throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/webtransport"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new BenchmarkException(
              "the Switchboard server exited with code "
                  + process.exitValue()
                  + "; the end of its log ("
                  + log
                  + "):\n"
                  + SwitchboardProcess.tail(log));
        }
        try {
          HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() == 200) {
            return;
          }
          last = answer.statusCode() + " " + answer.body();
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(200);
      }
    }
    throw new BenchmarkException(
        "GET /api/v1/webtransport did not answer 200 within "
            + START_TIMEOUT.toSeconds()
            + " s (last: "
            + last
            + "); the end of the server's log ("
            + log
            + "):\n"
            + SwitchboardProcess.tail(log));
  }

  /** {@code http://127.0.0.1:PORT}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The server's process, for its CPU time. */
  ProcessHandle process() {
    return process.toHandle();
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, STOP_GRACE_MILLIS);
  }
}
