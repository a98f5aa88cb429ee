package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client of clients/js ({@code @switchboard/client}), built with {@code npm run
 * build}, against a development server that verifies tokens with no leeway: on Node
 * (clients/js/test/node-check.mjs: RPC both ways, push, ACKs, a reconnect after 4001 with the
 * channel recovered, a token refreshed, SSE) and in headless Chromium
 * (interop/browser/js-client-check.mjs: the page imports dist/ and prefers WebTransport).
 */
class JavaScriptClientTest {

  private static final Path CLIENT = Path.of("..", "clients", "js").toAbsolutePath().normalize();
  private static final Path BROWSER =
      Path.of("..", "interop", "browser").toAbsolutePath().normalize();

  @BeforeAll
  static void build() throws Exception {
    assertThat(CLIENT.resolve("node_modules").resolve("typescript"))
        .as("npm dependencies of %s are missing: run ./switchboard test", CLIENT)
        .exists();
    Process npm =
        new ProcessBuilder("npm", "run", "build")
            .directory(CLIENT.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      assertThat(npm.waitFor(120, TimeUnit.SECONDS)).as("npm run build finished").isTrue();
      assertThat(npm.exitValue()).as("npm run build's exit code").isZero();
    } finally {
      npm.destroyForcibly();
    }
  }

  /** Tokens as {@link PushTokens} mints them, expiring exactly at {@code exp}. */
  private static ServerConfig.Builder server() {
    return PushFixture.development().jwt(PushTokens.hs256ConfigWithoutLeeway());
  }

  @Test
  void onNodeItCallsAnswersSubscribesAndRecoversAfterItsTokenExpires() throws Exception {
    try (PushFixture push = PushFixture.start(server())) {
      InteropScriptsTest.runChecks(
          CLIENT,
          "ws",
          List.of(
              "node",
              "test/node-check.mjs",
              "http://127.0.0.1:" + push.server.port(),
              PushTokens.SECRET,
              PushTokens.ISSUER,
              PushTokens.AUDIENCE),
          36);
    }
  }

  @Test
  void inChromiumItLoadsAsAModuleAndPrefersWebTransport() throws Exception {
    assumeThat(Path.of("/usr/bin/chromium"))
        .as("chromium (./switchboard test installs it)")
        .exists();
    try (PushFixture push = PushFixture.start(server())) {
      InteropScriptsTest.runChecks(
          BROWSER,
          "playwright-core",
          List.of(
              "node",
              "js-client-check.mjs",
              "http://127.0.0.1:" + push.server.port(),
              PushTokens.valid("ann")),
          11);
    }
  }
}
