package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: what an operator scrapes, and that it agrees with {@code /stats}. */
class MetricsTest {

  private PushFixture push;

  @AfterEach
  void stop() {
    if (push != null) {
      push.close();
    }
  }

  private String scrape() {
    PushHttp.Response answer = push.http.get("/metrics");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }

  /** Each sample's value by its name and labels as written ({@code name{a="b"}}). */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return out;
  }

  /** Our series (the JVM's come and go with its GC events). */
  private static java.util.Set<String> ours(String text) {
    java.util.Set<String> out = new java.util.TreeSet<>(samples(text).keySet());
    out.removeIf(series -> !series.startsWith("switchboard_"));
    return out;
  }

  private static double value(Map<String, Double> samples, String series) {
    Double v = samples.get(series);
    assertThat(v).as("series " + series + " in " + samples.keySet()).isNotNull();
    return v;
  }

  /** Traffic of every kind the families count: devices, sends, a queue, an ACK, a batch. */
  private void traffic() {
    PushDevice alice = push.device("alice", "ack=1");
    PushDevice bob = push.device("bob");
    bob.subscribe("news");
    String id = push.sendTo("alice", "hello").get("notification_id").asText();
    alice.awaitEvent("hello");
    assertThat(alice.ack(id).path("result").path("acked").asBoolean()).isTrue();
    push.sendToChannel("news", "headline");
    bob.awaitEvent("headline");
    push.sendTo("carol", "while-away"); // queued: carol has no device
    push.sendInBatches("{'type':'user','value':'bob'}", "batched-", 0, 3);
    push.http.get("/api/v1/no-such-thing");
    bob.close();
    push.awaitConnections(1);
  }

  @Test
  void afterTrafficEveryFamilyTheDocsListIsScrapedWithItsCounts() {
    push = PushFixture.start(PushFixture.production().rateLimits(new RateLimits(1000, 1000, 100)));
    traffic();

    Map<String, Double> m = samples(scrape());

    assertThat(value(m, "switchboard_notifications_sent_total{target=\"user\"}"))
        .as("two sends, three batch items")
        .isEqualTo(5);
    assertThat(value(m, "switchboard_notifications_sent_total{target=\"channel\"}")).isEqualTo(1);
    assertThat(value(m, "switchboard_connections{tenant=\"default\",transport=\"websocket\"}"))
        .isEqualTo(1);
    assertThat(value(m, "switchboard_queue_enqueued_total")).isGreaterThanOrEqualTo(1);
    assertThat(value(m, "switchboard_ack_received_total")).isEqualTo(1);
    assertThat(value(m, "switchboard_ack_latency_seconds_count")).isEqualTo(1);
    assertThat(value(m, "switchboard_delivery_latency_seconds_count")).isGreaterThanOrEqualTo(5);
    assertThat(value(m, "switchboard_batch_size_count")).isEqualTo(1);
    assertThat(value(m, "switchboard_batch_size_sum")).isEqualTo(3);
    assertThat(
            value(m, "switchboard_connections_closed_total{code=\"1000\",transport=\"websocket\"}"))
        .isEqualTo(1);
    assertThat(value(m, "switchboard_connection_duration_seconds_count{transport=\"websocket\"}"))
        .isEqualTo(1);
    assertThat(
            value(
                m,
                "switchboard_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/notifications/send\",status=\"200\"}"))
        .isEqualTo(2);
    assertThat(
            value(
                m,
                "switchboard_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}"))
        .isEqualTo(1);
    assertThat(value(m, "switchboard_ratelimit_allowed_total{kind=\"websocket_connect\"}"))
        .isEqualTo(2);
    assertThat(value(m, "switchboard_ratelimit_allowed_total{kind=\"http\"}"))
        .isGreaterThanOrEqualTo(5);
    assertThat(value(m, "switchboard_ratelimit_denied_total{kind=\"http\"}")).isZero();
    assertThat(
            value(
                m,
                "switchboard_rpc_server_calls_seconds_count{method=\"subscribe\",outcome=\"ok\"}"))
        .isEqualTo(1);
    assertThat(value(m, "switchboard_ratelimit_allowed_total{kind=\"websocket_message\"}"))
        .isGreaterThanOrEqualTo(3);
    assertThat(m.keySet())
        .anyMatch(s -> s.startsWith("switchboard_resilience_adaptive_limiter_limit"))
        .anyMatch(s -> s.startsWith("jvm_memory_used_bytes"))
        .anyMatch(s -> s.startsWith("process_uptime_seconds"));
  }

  @Test
  void statsAndMetricsReadTheSameCounters() {
    push = PushFixture.start(PushFixture.production());
    traffic();

    JsonNode stats = push.stats();
    Map<String, Double> m = samples(scrape());

    JsonNode messages = stats.get("messages");
    assertThat(value(m, "switchboard_notifications_delivered_total"))
        .isEqualTo(messages.get("deliveries").asDouble());
    assertThat(value(m, "switchboard_notifications_failed_total"))
        .isEqualTo(messages.get("refused").asDouble());
    double sent =
        m.entrySet().stream()
            .filter(e -> e.getKey().startsWith("switchboard_notifications_sent_total"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    assertThat(sent).isEqualTo(messages.get("notifications_sent").asDouble());
    assertThat(value(m, "switchboard_connections_opened_total"))
        .isEqualTo(stats.get("connections_total").get("opened").asDouble());
    assertThat(value(m, "switchboard_users_connected")).isEqualTo(stats.get("users").asDouble());
    assertThat(value(m, "switchboard_queue_messages"))
        .isEqualTo(stats.get("offline_queue").get("notifications").asDouble());
    assertThat(value(m, "switchboard_ack_received_total"))
        .isEqualTo(stats.get("acks").get("acknowledged").asDouble());
    JsonNode health = push.http.ok("/health?detailed=true");
    assertThat(value(m, "switchboard_queue_messages"))
        .isEqualTo(health.get("components").get("queue").get("pending_messages").asDouble());
  }

  @Test
  void theSeriesDoNotGrowWithUsersAndChannels() {
    push = PushFixture.start(PushFixture.production());
    traffic();
    scrape(); // the first scrape's own request adds its series
    java.util.Set<String> before = ours(scrape());

    List<PushDevice> crowd = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      PushDevice device = push.device("user-" + i);
      device.subscribe("room-" + i, "topic-" + i);
      crowd.add(device);
    }
    for (int i = 0; i < 50; i++) {
      push.sendTo("user-" + (i % 20), "flood-" + i);
      push.sendToChannel("room-" + (i % 20), "flood-" + i);
      push.sendTo("nobody-" + i, "queued-" + i);
    }
    crowd.forEach(PushDevice::close);
    push.awaitConnections(1);
    String after = scrape();

    assertThat(ours(after)).containsExactlyElementsOf(before);
    assertThat(after).doesNotContain("user-1", "room-1", "nobody-", "flood-");
  }

  @Test
  void openMetricsIsServedToAScraperThatAsksForIt() {
    push = PushFixture.start(PushFixture.production());

    PushHttp.Response answer =
        push.http.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(answer.body()).endsWith("# EOF\n");
    assertThat(push.http.get("/metrics").headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
  }

  @Test
  void metricsNeedNoApiKeyAndAreGoneWhenTurnedOff() {
    push =
        PushFixture.start(
            PushFixture.production().observability(Observability.DEFAULTS.withMetrics(false)));

    PushHttp.Response answer = push.http.get("/metrics");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).contains("metrics.enabled");
  }

  @Test
  void promtoolFindsNothingToCorrect() throws IOException, InterruptedException {
    Optional<Path> promtool =
        java.util.stream.Stream.of("/usr/bin/promtool", "/usr/local/bin/promtool")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    assertThat(promtool)
        .as("promtool, from Debian's prometheus package (./switchboard test installs it)")
        .isPresent();
    push = PushFixture.start(PushFixture.production());
    traffic();
    Path scraped = Files.createTempFile("metrics", ".txt");
    Files.writeString(scraped, scrape());

    Process check =
        new ProcessBuilder(promtool.get().toString(), "check", "metrics")
            .redirectInput(scraped.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(said).as("promtool's findings").isEmpty();
    assertThat(check.exitValue()).isZero();
    Files.delete(scraped);
  }
}
