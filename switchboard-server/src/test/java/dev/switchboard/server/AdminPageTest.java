package dev.switchboard.server;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.switchboard.auth.ApiKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium clicking through the admin page (interop/browser/admin-check.mjs), every
 * control found by its accessible name: the connection count follows a device, the send form
 * reaches it, the channel's history lists the send, Disconnect closes it; with {@code admin.token}
 * the page asks for the token first.
 */
class AdminPageTest {

  private static final Path SCRIPTS =
      Path.of("..", "interop", "browser").toAbsolutePath().normalize();

  private static final String TOKEN = "admin-token-of-the-page-0123";

  @Test
  void anOperatorSeesADeviceSendsToItReadsTheHistoryAndDisconnectsIt() throws Exception {
    try (PushFixture push = PushFixture.start(PushFixture.development())) {
      run(push, List.of());
    }
  }

  @Test
  void withAnAdminTokenThePageAsksForItFirst() throws Exception {
    // Development mode (devices need no token) with the admin token set: the page asks for it.
    try (PushFixture push =
        PushFixture.start(PushFixture.development().adminToken(ApiKey.of(TOKEN)))) {
      run(push, List.of(TOKEN));
    }
  }

  private static void run(PushFixture push, List<String> token) throws Exception {
    assumeThat(Path.of("/usr/bin/chromium"))
        .as("chromium (./switchboard test installs it)")
        .exists();
    List<String> command = new ArrayList<>(List.of("node", "admin-check.mjs"));
    command.add("http://127.0.0.1:" + push.server.port());
    command.addAll(token);
    InteropScriptsTest.runChecks(SCRIPTS, "playwright-core", command, 8);
  }
}
