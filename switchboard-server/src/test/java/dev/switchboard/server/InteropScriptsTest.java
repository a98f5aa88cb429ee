package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What users try, with independent clients: the scripts of interop/node, each against a
 * production-mode server, minting their own tokens. Node's {@code ws} for devices, Node's http for
 * the API (as curl would), a raw SSE reader. Each prints one JSON line of named checks.
 */
class InteropScriptsTest {

  private static final Path SCRIPT_DIR =
      Path.of("..", "interop", "node").toAbsolutePath().normalize();

  @Test
  void independentClientsSeeEveryDeliveryGuaranteeHold() throws Exception {
    runAgainst(PushFixture.production(), "guarantees-check.mjs", 25);
  }

  @Test
  void anAraBackendAndAraDevicesWorkUnchangedWhereAraIsTheDefaultProtocol() throws Exception {
    runAgainst(PushFixture.production().defaultProtocol(DeviceProtocol.ARA), "ara-check.mjs", 32);
  }

  /**
   * Runs {@code script} against a server of {@code config}: every check passes, at least {@code
   * min}.
   */
  private static void runAgainst(ServerConfig.Builder config, String script, int min)
      throws Exception {
    try (PushFixture push = PushFixture.start(config)) {
      runScript(script, min, "http://127.0.0.1:" + push.server.port());
    }
  }

  /**
   * Runs {@code script} of interop/node with the servers' base URLs ({@code http://host:port}),
   * then {@link PushFixture#API_KEY} and the token settings of {@link PushTokens}: every check
   * passes, at least {@code min}, and the script exits 0.
   */
  static void runScript(String script, int min, String... bases) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(bases));
    command.addAll(
        List.of(PushFixture.API_KEY, PushTokens.SECRET, PushTokens.ISSUER, PushTokens.AUDIENCE));
    runChecks(SCRIPT_DIR, "ws", command, min);
  }

  /**
   * Runs {@code command} in {@code dir}, whose npm dependency {@code dependency} must be installed:
   * the one JSON line it prints has every check passing, at least {@code min}, and it exits 0.
   */
  static void runChecks(Path dir, String dependency, List<String> command, int min)
      throws Exception {
    assertThat(dir.resolve("node_modules").resolve(dependency))
        .as("npm dependencies of %s are missing: run ./switchboard test", dir)
        .exists();
    Process node =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      assertThat(node.waitFor(150, TimeUnit.SECONDS)).as("node finished").isTrue();
      String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      JsonNode report = TestServer.json(output);
      for (JsonNode check : report.get("checks")) {
        assertThat(check.get("ok").asBoolean()).as("%s", check).isTrue();
      }
      assertThat(report.get("checks").size()).isGreaterThanOrEqualTo(min);
      assertThat(node.exitValue()).isZero();
    } finally {
      node.destroyForcibly();
    }
  }
}
