package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An independent client from npm ({@code rpc-websockets}' Client, and raw frames through {@code
 * ws}) calls the server; the script lives in interop/node and its dependencies are installed by
 * {@code ./switchboard test}.
 */
class NpmClientInteropTest {

  private static final Path SCRIPT_DIR =
      Path.of("..", "interop", "node").toAbsolutePath().normalize();

  @Test
  void rpcWebsocketsClientCallsTheServer() throws Exception {
    assertThat(SCRIPT_DIR.resolve("node_modules/rpc-websockets"))
        .as(
            "npm dependencies of %s are missing: run ./switchboard test (it runs npm ci there)",
            SCRIPT_DIR)
        .exists();
    try (TestServer server = TestServer.start()) {
      Process node =
          new ProcessBuilder(
                  "node",
                  "rpcws-client-check.mjs",
                  server.server.webSocketUri().toString().replace("localhost", "127.0.0.1"))
              .directory(SCRIPT_DIR.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try {
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode report = TestServer.json(output);
        for (JsonNode check : report.get("checks")) {
          assertThat(check.get("ok").asBoolean()).as("%s", check).isTrue();
        }
        assertThat(report.get("checks").size()).isGreaterThanOrEqualTo(11);
        assertThat(node.exitValue()).isZero();
      } finally {
        node.destroyForcibly();
      }
    }
  }
}
