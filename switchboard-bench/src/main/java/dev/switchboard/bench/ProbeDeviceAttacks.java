package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.ProbeReport.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Attacks through devices and the API: a device that never reads (5), tokens that expire (7),
 * hostile JSON bodies (8). The shutdown under load (9) and the memory of idle devices (10) are in
 * {@link ProbeLoadAttacks}. Each ends within its time bound.
 */
final class ProbeDeviceAttacks {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SLOW_BOUND = Duration.ofSeconds(60);

  /** A line of a Java stack trace, or a line naming an exception. */
  static final Pattern STACK = Pattern.compile("Exception|^\\s+at [\\w.$]+\\(");

  /**
   * A notification of {@code bytes} bytes of payload and {@code priority}, as an API request body.
   */
  static byte[] notification(String targetField, String target, String priority, int bytes) {
    String head = targetField.isEmpty() ? "" : "\"" + targetField + "\":\"" + target + "\",";
    return ("{"
            + head
            + "\"event_type\":\"probe.fill\",\"priority\":\""
            + priority
            + "\",\"payload\":{\"data\":\""
            + "x".repeat(bytes)
            + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * 5: a device that subscribes nothing and never reads while the API broadcasts 8 KiB High
   * notifications, until {@code /stats} counts a slow consumer; then how long the server's end of
   * the socket stays in {@code /proc/net/tcp}, and what the device finds when it finally reads.
   */
  Outcome slowConsumer(ProbeServer server, String from) throws IOException, InterruptedException {
    long slowBefore = server.slowConsumers();
    try (ProbeClient device = ProbeClient.open(server.port(), from)) {
      device.readTimeout(Duration.ofSeconds(10));
      ProbeClient.Answer up =
          device.upgrade(
              "/ws?token=" + new ProbeTokens(server.secret()).forUser("slow-1"), List.of());
      if (up.status() != 101) {
        return Outcome.of("upgrade answered " + up.status(), "-", false, List.of());
      }
      int port = device.localPort();
      byte[] body = notification("", "", "High", 8192); // High: never dropped to make room
      long start = System.nanoTime();
      int sent = 0;
      int limited = 0;
      long cutAt = -1;
      while (cutAt < 0 && System.nanoTime() - start < SLOW_BOUND.toNanos()) {
        ProbeClient.Answer a = server.api("POST", "/api/v1/notifications/broadcast", body);
        if (a.status() == 429) {
          limited++;
          Thread.sleep(200);
          continue;
        }
        sent++;
        boolean missed =
            a.status() == 200 && JSON.readTree(a.body()).path("delivered_to").asInt() == 0;
        if ((missed || sent % 20 == 0) && server.slowConsumers() > slowBefore) {
          cutAt = System.nanoTime();
        }
      }
      List<String> notes = new ArrayList<>();
      notes.add(
          sent
              + " broadcasts of 8 KiB, priority High, sent ("
              + limited
              + " answered 429 and retried)"
              + (cutAt < 0
                  ? "; no slow consumer counted within " + SLOW_BOUND.toSeconds() + " s"
                  : "; /stats counted the slow consumer "
                      + ProbeReport.millis(cutAt - start)
                      + " after the first"));
      if (cutAt < 0) {
        return Outcome.of("not cut off", "-", false, notes);
      }
      long goneAt = -1;
      String lastState = "";
      while (System.nanoTime() - cutAt < 20_000_000_000L) {
        Optional<String> state = server.serverSocketState(port);
        if (state.isEmpty()) {
          goneAt = System.nanoTime();
          break;
        }
        lastState = state.get();
        Thread.sleep(100);
      }
      ProbeClient.Ending seen = device.awaitClose(Duration.ofSeconds(5));
      notes.add(
          "the server's socket left /proc/net/tcp "
              + (goneAt < 0
                  ? "never within 20 s (last state " + lastState + ")"
                  : ProbeReport.millis(goneAt - cutAt)
                      + " after the cut-off (state before: "
                      + (lastState.isEmpty() ? "-" : lastState)
                      + ")"));
      notes.add(
          "reading afterwards, the device found "
              + seen.framesBefore()
              + " frames, then: "
              + seen.describe());
      List<String> log = server.outputMatching(Pattern.compile("user slow-1 .*(closing|cutting)"));
      log.forEach(l -> notes.add("server log: " + l));
      boolean logged4008 = log.stream().anyMatch(l -> l.contains("4008"));
      boolean quick = goneAt >= 0 && goneAt - cutAt < 12_000_000_000L && logged4008;
      String did =
          "cut off (server log: "
              + (logged4008 ? "closing with 4008" : "no 4008 line")
              + "); socket "
              + (goneAt < 0 ? "still there after 20 s" : "gone")
              + "; the device read: "
              + seen.describe();
      return Outcome.of(
          did,
          "cut after "
              + ProbeReport.millis(cutAt - start)
              + " of broadcasts; socket gone "
              + (goneAt < 0 ? "-" : ProbeReport.millis(goneAt - cutAt) + " later"),
          quick,
          notes);
    }
  }

  /**
   * 7: against a server with {@code jwt.leeway_seconds=0}, a device whose token expires in about 3
   * s, and one that refreshes its token (exp +60 s) before then.
   */
  Outcome tokenExpiry(ProbeServer server, String fromA, String fromB)
      throws IOException, InterruptedException {
    ProbeTokens tokens = new ProbeTokens(server.secret());
    long exp = ProbeTokens.nowSeconds() + 4;
    List<String> notes = new ArrayList<>();
    try (ProbeClient a = ProbeClient.open(server.port(), fromA);
        ProbeClient b = ProbeClient.open(server.port(), fromB)) {
      a.readTimeout(Duration.ofSeconds(10));
      b.readTimeout(Duration.ofSeconds(10));
      int upA = a.upgrade("/ws?token=" + tokens.forUser("exp-a", exp), List.of()).status();
      int upB = b.upgrade("/ws?token=" + tokens.forUser("exp-b", exp), List.of()).status();
      if (upA != 101 || upB != 101) {
        return Outcome.of("upgrades answered " + upA + " / " + upB, "-", false, List.of());
      }
      long[] closedAtMillis = {-1};
      ProbeClient.Ending[] endA = new ProbeClient.Ending[1];
      Thread watcher =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      endA[0] = a.awaitClose(Duration.ofSeconds(20));
                    } catch (IOException e) {
                      endA[0] =
                          new ProbeClient.Ending(
                              Optional.empty(), ProbeClient.ended(e), System.nanoTime(), 0);
                    }
                    closedAtMillis[0] = System.currentTimeMillis();
                  });
      String fresh = tokens.forUser("exp-b", ProbeTokens.nowSeconds() + 60);
      b.send(
          ProbeClient.text(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"refresh\",\"params\":{\"token\":\""
                  + fresh
                  + "\"}}"));
      String refreshed = answer(b, "\"id\":1");
      notes.add(
          "A: token exp "
              + exp
              + " ("
              + (exp * 1000 - System.currentTimeMillis())
              + " ms ahead at the"
              + " refresh); B sent refresh (exp +60 s) before exp and got: "
              + refreshed);
      long wake = exp * 1000 + 3000 - System.currentTimeMillis();
      if (wake > 0) {
        Thread.sleep(wake);
      }
      b.send(ProbeClient.text("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"));
      String ping = answer(b, "\"id\":2");
      boolean bAlive = ping.contains("pong");
      notes.add("B, 3 s after the first exp: ping answered " + ping);
      watcher.join(25_000);
      ProbeClient.Ending end = endA[0];
      long delay = closedAtMillis[0] - exp * 1000;
      int code = end == null ? -1 : end.close().map(ProbeClient.Frame::closeCode).orElse(-1);
      notes.add(
          "expected: A closed with 4001 at exp, B still connected"
              + (code == 4001 && bAlive ? " (as seen)" : " — DIFFERS"));
      String did =
          "A: "
              + (end == null ? "nothing" : end.describe())
              + " "
              + delay
              + " ms after exp; B (refreshed): "
              + (bAlive ? "still connected 3 s after exp" : "NOT connected: " + ping);
      return Outcome.of(
          did,
          delay + " ms after exp",
          code == 4001 && delay >= 0 && delay < 2000 && bAlive,
          notes);
    }
  }

  /**
   * Reads text frames until one containing {@code marker} (5 s at most); its text, or what happened
   * instead.
   */
  private static String answer(ProbeClient c, String marker) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        c.readTimeout(Duration.ofSeconds(5));
        ProbeClient.Frame f = c.readFrame(1 << 16);
        if (f.opcode() == ProbeClient.CLOSE) {
          return "close " + f.closeCode() + " " + f.closeReason();
        }
        if (f.opcode() == ProbeClient.TEXT && f.text().contains(marker)) {
          return f.text();
        }
      }
      return "no answer within 5 s";
    } catch (IOException e) {
      return ProbeClient.ended(e);
    }
  }

  /**
   * 8: a hostile JSON body for {@code POST /api/v1/notifications/send}; expects 400 at once and no
   * stack trace.
   */
  Outcome hostileBody(ProbeServer server, String payload) throws IOException {
    int tracesBefore = server.outputMatching(STACK).size();
    byte[] body =
        ("{\"target_user_id\":\"nobody\",\"event_type\":\"probe.body\",\"payload\":"
                + payload
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    ProbeClient.Answer a = server.api("POST", "/api/v1/notifications/send", body);
    long took = System.nanoTime() - start;
    List<String> traces = server.outputMatching(STACK);
    List<String> notes = new ArrayList<>();
    String text = a.text();
    notes.add("answer: " + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
    notes.add(
        "server output lines with \"Exception\" or a stack frame: "
            + traces.size()
            + " in all, "
            + (traces.size() - tracesBefore)
            + " new"
            + (traces.isEmpty() ? "" : "; first: " + traces.getFirst()));
    boolean clean = traces.size() == tracesBefore;
    return Outcome.of(
        "HTTP " + a.status() + (clean ? "; no stack trace" : "; STACK TRACE in the output"),
        ProbeReport.millis(took),
        a.status() == 400 && took < 1_000_000_000L && clean,
        List.copyOf(notes));
  }

  /** The body for 8: a payload nested {@code depth} arrays deep. */
  static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }
}
