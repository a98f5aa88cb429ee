package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code switchboard serve} in a JVM of its own, so that a test can {@code kill -9} it: production
 * mode with {@link PushTokens}' secret and {@link PushFixture#API_KEY}, on a free port.
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern PORT = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Process process;
  private final int port;

  private NodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a node with {@code env} added to the production settings; waits until it listens. */
  static NodeProcess start(Map<String, String> env) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.switchboard.server.Main",
                    "serve",
                    "--mode",
                    "production",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0"))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> environment = builder.environment();
    environment.put("SWITCHBOARD_JWT_SECRET", PushTokens.SECRET);
    environment.put("SWITCHBOARD_JWT_ALGORITHMS", "HS256");
    environment.put("SWITCHBOARD_JWT_ISSUER", PushTokens.ISSUER);
    environment.put("SWITCHBOARD_JWT_AUDIENCE", PushTokens.AUDIENCE);
    environment.put("SWITCHBOARD_API_KEY", PushFixture.API_KEY);
    environment.put("SWITCHBOARD_WEBSOCKET_CONNECTIONS_PER_MINUTE_PER_IP", "0");
    environment.putAll(env);
    Process process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("first line of serve").isNotNull();
    Matcher matcher = PORT.matcher(line);
    assertThat(matcher.find()).as(line).isTrue();
    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
    return new NodeProcess(process, Integer.parseInt(matcher.group(1)));
  }

  /** The port it listens on, for HTTP and {@code /ws}. */
  int port() {
    return port;
  }

  URI ws(String query) {
    return URI.create("ws://127.0.0.1:" + port + "/ws?" + query);
  }

  /** {@code kill -9}: no shutdown hook runs, nothing leaves the cluster. */
  void crash() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
