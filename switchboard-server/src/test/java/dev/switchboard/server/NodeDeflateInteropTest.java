package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Node's {@code ws} with its defaults (permessage-deflate offered, as browsers do) accepts the
 * server's answer, {@code server_no_context_takeover} included, and reads compressed answers and a
 * fan-out's shared compressed notifications; the script is interop/node/deflate-check.mjs.
 */
class NodeDeflateInteropTest {

  private static final Path SCRIPT_DIR =
      Path.of("..", "interop", "node").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void wsReadsSharedCompressedNotificationsOnEveryConnection() throws Exception {
    assertThat(SCRIPT_DIR.resolve("node_modules/ws"))
        .as("npm dependencies of %s are missing: run ./switchboard test", SCRIPT_DIR)
        .exists();
    try (PushFixture push =
        PushFixture.start(
            PushFixture.development().webSocketCompression(WebSocketCompression.on(1024)))) {
      Process node =
          new ProcessBuilder(
                  "node",
                  "deflate-check.mjs",
                  push.ws("").toString().replace("localhost", "127.0.0.1"),
                  "--devices",
                  "3",
                  "--notifications",
                  "4")
              .directory(SCRIPT_DIR.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        JsonNode ready = JSON.readTree(out.readLine());
        assertThat(ready.path("event").asText()).as("%s", ready).isEqualTo("ready");
        List<JsonNode> sent = new ArrayList<>();
        long before = MessageDeflater.deflatedCount();
        for (int i = 0; i < 3; i++) {
          sent.add(broadcast(push, SharedDeflateEncoderTest.json(4096 + i)));
        }
        sent.add(broadcast(push, "{\"small\":true}".getBytes(StandardCharsets.UTF_8)));

        JsonNode report = JSON.readTree(out.readLine());
        assertThat(report.path("ok").asBoolean()).as("%s", report).isTrue();
        assertThat(report.path("extensions").get(0).asText())
            .contains("permessage-deflate")
            .contains("server_no_context_takeover")
            .contains("client_no_context_takeover");
        List<JsonNode> payloads = new ArrayList<>();
        for (JsonNode payload : report.path("payloads")) {
          payloads.add(JSON.readTree(payload.asText()));
        }
        assertThat(payloads).isEqualTo(sent);
        assertThat(report.path("wireBytes").asLong())
            .as(
                "bytes read for %d bytes of notifications",
                report.path("notificationBytes").asLong())
            .isLessThan(report.path("notificationBytes").asLong() / 2);
        assertThat(MessageDeflater.deflatedCount() - before)
            .as("three large notifications to three devices")
            .isEqualTo(3);
      }
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
      assertThat(node.exitValue()).isZero();
    }
  }

  private static JsonNode broadcast(PushFixture push, byte[] payload) throws Exception {
    String json = new String(payload, StandardCharsets.UTF_8);
    push.http.ok(
        "/api/v1/notifications/broadcast", "{\"event_type\":\"interop\",\"payload\":" + json + "}");
    return JSON.readTree(json);
  }
}
