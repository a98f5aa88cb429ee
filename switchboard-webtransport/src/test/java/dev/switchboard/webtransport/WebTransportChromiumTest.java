package dev.switchboard.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real Chromium against the echo server: interop/browser/webtransport-check.mjs (playwright-core
 * driving /usr/bin/chromium headless) opens sessions with the development certificate's hash and
 * prints its checks.
 */
class WebTransportChromiumTest {
  private static final Path SCRIPT_DIR = Path.of("..", "interop", "browser");

  @Test
  void chromiumEchoesOverStreamsAndDatagramsAndSeesTheServersClose()
      throws IOException, InterruptedException {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/chromium")),
        "no /usr/bin/chromium: apt-get install -y chromium (CI installs it)");
    assumeTrue(
        Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")),
        "no interop/browser/node_modules: run npm install in interop/browser (CI does)");
    DevCertificate cert = DevCertificate.generate(Duration.ofDays(10));
    List<String> closes = new CopyOnWriteArrayList<>();
    SessionAcceptor echo = DemoEcho.create();
    SessionAcceptor recording =
        request ->
            echo.offer(
                new ForwardingRequest(request) {
                  @Override
                  public WebTransportSession accept() {
                    WebTransportSession session = super.accept();
                    session.onClose((code, reason) -> closes.add(code + " " + reason));
                    return session;
                  }
                });
    WebTransportSettings settings =
        WebTransportSettings.builder(cert.privateKey(), List.of(cert.certificate())).build();
    try (WebTransportServer server = WebTransportServer.start(settings, recording)) {
      Process node =
          new ProcessBuilder(
                  "node",
                  "webtransport-check.mjs",
                  Integer.toString(server.port()),
                  cert.sha256Base64())
              .directory(SCRIPT_DIR.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      boolean exited = node.waitFor(90, TimeUnit.SECONDS);
      if (!exited) {
        node.destroyForcibly();
      }
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(exited).as("script ended in time").isTrue();
      assertThat(out).as("checks: %s", out).contains("\"ok\":true");
      assertThat(closes).contains("7 done", "4242 bye");
    }
  }
}
