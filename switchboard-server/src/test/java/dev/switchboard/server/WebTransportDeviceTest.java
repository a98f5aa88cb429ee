package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium as a device over WebTransport (interop/browser/switchboard-wt-check.mjs): the
 * development server's certificate hash from {@code GET /api/v1/webtransport}, JSON-RPC both ways
 * on the session's first stream, a subscription and a push through the HTTP API, the demo's
 * datagram and stream echoes, and the server's close code reaching the page.
 */
class WebTransportDeviceTest {

  private static final Path SCRIPTS =
      Path.of("..", "interop", "browser").toAbsolutePath().normalize();

  @Test
  void chromiumIsADeviceOverWebTransportAsOverWebSocket() throws Exception {
    assumeThat(Path.of("/usr/bin/chromium"))
        .as("chromium (./switchboard test installs it)")
        .exists();
    assertThat(SCRIPTS.resolve("node_modules/playwright-core"))
        .as("npm dependencies of %s are missing: run ./switchboard test", SCRIPTS)
        .exists();
    try (PushFixture push = PushFixture.start(PushFixture.development())) {
      Process node =
          new ProcessBuilder(
                  "node", "switchboard-wt-check.mjs", "http://127.0.0.1:" + push.server.port())
              .directory(SCRIPTS.toFile())
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
