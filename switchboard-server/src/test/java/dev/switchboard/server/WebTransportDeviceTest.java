package dev.switchboard.server;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium as a device over WebTransport (interop/browser/switchboard-wt-check.mjs): the
 * development server's certificate hash from {@code GET /api/v1/webtransport}, a session
 * authenticated with {@code ?token=} (a forged one refused, a push to its user), JSON-RPC both ways
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
    // Development mode with a JWT key: tokens are verified, and the page authenticates with one.
    try (PushFixture push =
        PushFixture.start(PushFixture.development().jwt(PushTokens.hs256Config()))) {
      InteropScriptsTest.runChecks(
          SCRIPTS,
          "playwright-core",
          List.of(
              "node",
              "switchboard-wt-check.mjs",
              "http://127.0.0.1:" + push.server.port(),
              PushTokens.valid("ann"),
              "ann"),
          13);
    }
  }
}
