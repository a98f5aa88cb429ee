package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The delivery guarantees as a user tries them, with independent clients: Node's {@code ws} for
 * devices, Node's http for the API (as curl would), a raw SSE reader. The script is
 * interop/node/guarantees-check.mjs; it runs against a production-mode server and mints its own
 * tokens.
 */
class GuaranteesInteropTest {

  private static final Path SCRIPT_DIR =
      Path.of("..", "interop", "node").toAbsolutePath().normalize();

  @Test
  void independentClientsSeeEveryGuaranteeHold() throws Exception {
    assertThat(SCRIPT_DIR.resolve("node_modules/ws"))
        .as("npm dependencies of %s are missing: run ./switchboard test", SCRIPT_DIR)
        .exists();
    try (PushFixture push = PushFixture.start(PushFixture.production())) {
      Process node =
          new ProcessBuilder(
                  "node",
                  "guarantees-check.mjs",
                  "http://127.0.0.1:" + push.server.port(),
                  PushFixture.API_KEY,
                  PushTokens.SECRET,
                  PushTokens.ISSUER,
                  PushTokens.AUDIENCE)
              .directory(SCRIPT_DIR.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try {
        assertThat(node.waitFor(150, TimeUnit.SECONDS)).as("node finished").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode report = TestServer.json(output);
        for (JsonNode check : report.get("checks")) {
          assertThat(check.get("ok").asBoolean()).as("%s", check).isTrue();
        }
        assertThat(report.get("checks").size()).isGreaterThanOrEqualTo(25);
        assertThat(node.exitValue()).isZero();
      } finally {
        node.destroyForcibly();
      }
    }
  }
}
