package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * {@code logging.format = json}: one JSON object per line, the ids a line is about as fields of
 * their own, and never a token, a key or a payload.
 */
class JsonLogsTest {

  private static final String PAYLOAD = "payload-text-4111-1111-1111-1111";

  @Test
  void anEventIsOneLineOfJsonWithItsFieldsKeyValuesMdcAndException() throws Exception {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            context.getLogger("dev.switchboard.server.Sessions"),
            Level.WARN,
            "closing {}\nwith {}",
            new IllegalStateException("queue full"),
            new Object[] {"c7", 4008});
    event.setInstant(Instant.parse("2026-12-08T09:14:03.215987Z"));
    event.setThreadName("vert.x-eventloop-thread-1");
    event.addKeyValuePair(new KeyValuePair("user_id", "alice"));
    event.addKeyValuePair(new KeyValuePair("queued", 1000));
    event.addKeyValuePair(new KeyValuePair("slow", true));
    event.addKeyValuePair(new KeyValuePair("message", "not the message"));
    event.setMDCPropertyMap(Map.of("tenant_id", "acme", "user_id", "not alice"));

    String line = new String(new JsonLogEncoder().encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("}\n").doesNotContain("\r").hasLineCount(1);
    JsonNode json = PushHttp.parse(line);
    assertThat(PushHttp.fieldNames(json))
        .containsExactly(
            "timestamp",
            "level",
            "logger",
            "thread",
            "message",
            "user_id",
            "queued",
            "slow",
            "tenant_id",
            "exception");
    assertThat(json.get("timestamp").asText()).isEqualTo("2026-12-08T09:14:03.215Z");
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("dev.switchboard.server.Sessions");
    assertThat(json.get("thread").asText()).isEqualTo("vert.x-eventloop-thread-1");
    assertThat(json.get("message").asText()).isEqualTo("closing c7\nwith 4008");
    assertThat(json.get("user_id").asText()).isEqualTo("alice");
    assertThat(json.get("queued").isInt()).isTrue();
    assertThat(json.get("queued").asInt()).isEqualTo(1000);
    assertThat(json.get("slow").isBoolean()).isTrue();
    assertThat(json.get("tenant_id").asText()).isEqualTo("acme");
    JsonNode exception = json.get("exception");
    assertThat(exception.get("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(exception.get("message").asText()).isEqualTo("queue full");
    assertThat(exception.get("stack").asText())
        .startsWith("java.lang.IllegalStateException: queue full")
        .contains("at dev.switchboard.server.JsonLogsTest.");
  }

  /** The pattern shipped in logback.xml, and the switch {@code switchboard serve} makes. */
  @Test
  void textLinesShowTheFieldsAfterTheMessageUntilJsonIsChosen() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(JsonLogsTest.class.getResource("/logback.xml"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDERR")).setOutputStream(out);
    org.slf4j.Logger log = context.getLogger("dev.switchboard.server.Session");
    try {
      log.atInfo().addKeyValue("user_id", "alice").addKeyValue("connection_id", "c7").log("left");
      log.info("plain");
      ConsoleLogs.use(Observability.LogFormat.JSON, context);
      log.atInfo().addKeyValue("user_id", "alice").log("as json");

      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).endsWith("Session - left user_id=\"alice\" connection_id=\"c7\"");
      assertThat(lines.get(1)).endsWith("Session - plain");
      JsonNode json = PushHttp.parse(lines.get(2));
      assertThat(json.get("message").asText()).isEqualTo("as json");
      assertThat(json.get("user_id").asText()).isEqualTo("alice");
    } finally {
      context.stop();
    }
  }

  @Test
  void textLeavesTheConsoleAsConfiguredAndOtherLoggingIsLeftAlone() {
    LoggerContext context = new LoggerContext();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    console.setEncoder(text);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);

    ConsoleLogs.use(Observability.LogFormat.TEXT, context);
    ConsoleLogs.use(Observability.LogFormat.JSON, new NOPLoggerFactory());

    assertThat(console.getEncoder()).isSameAs(text);
  }

  /**
   * A device of tenant acme connects with its JWT in the query, is sent a notification through the
   * HTTP API and leaves; a device with a bad token is refused. Debug level, where connecting,
   * leaving and sending are logged.
   */
  @Test
  void aDevicesLinesCarryItsIdsAndNoLineHoldsAKeyATokenOrAPayload() {
    String token = PushTokens.valid("alice", "acme");
    String forged =
        PushTokens.hmac("HS256", "forged-secret-forged-secret-forged!", PushTokens.claims("eve"));
    List<JsonNode> lines;
    String notification;
    try (CapturedLogs logs = CapturedLogs.start();
        PushFixture push = PushFixture.start(PushFixture.production())) {
      PushDevice device = PushDevice.connect("acme:alice", push.ws("token=" + token), Map.of());
      device.awaitReady();
      String body =
          "{'target_user_id':'alice','event_type':'card','payload':{'card':'" + PAYLOAD + "'}}";
      PushHttp.Response sent =
          push.http.post("/api/v1/notifications/send", PushHttp.json(body), "X-Tenant-ID", "acme");
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      notification = PushHttp.parse(sent.body()).get("notification_id").asText();
      device.awaitEvent("card");
      device.close();
      push.awaitConnections(0);
      assertThat(push.refusal("token=" + forged, Map.of())).isEqualTo(401);
      await("the refusal's line")
          .atMost(PushFixture.WAIT)
          .until(() -> logs.text().contains("connection refused with 401"));
      lines = logs.lines();
      assertThat(logs.text())
          .doesNotContain(PushFixture.API_KEY)
          .doesNotContain(token)
          .doesNotContain(token.substring(token.lastIndexOf('.') + 1))
          .doesNotContain(forged.substring(forged.lastIndexOf('.') + 1))
          .doesNotContain(PushTokens.SECRET)
          .doesNotContain(PAYLOAD);
    }
    JsonNode connected = line(lines, ": connected");
    assertThat(connected.path("user_id").asText()).isEqualTo("alice");
    assertThat(connected.path("tenant_id").asText()).isEqualTo("acme");
    assertThat(connected.path("connection_id").asText()).matches("c\\d+");
    JsonNode disconnected = line(lines, ": disconnected with ");
    for (String field : List.of("user_id", "tenant_id", "connection_id")) {
      assertThat(disconnected.path(field)).as(field).isEqualTo(connected.path(field));
    }
    JsonNode send = line(lines, "notification " + notification + " sent");
    assertThat(send.path("notification_id").asText()).isEqualTo(notification);
    assertThat(send.path("tenant_id").asText()).isEqualTo("acme");
  }

  /** The one line whose message holds {@code text}. */
  private static JsonNode line(List<JsonNode> lines, String text) {
    List<JsonNode> found =
        lines.stream().filter(l -> l.get("message").asText().contains(text)).toList();
    assertThat(found).as("lines saying " + text + " in " + lines).hasSize(1);
    return found.getFirst();
  }

  /**
   * Everything {@code dev.switchboard} logs at debug and above, through {@link JsonLogEncoder} into
   * memory (and not to the console) until closed.
   */
  private static final class CapturedLogs implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private CapturedLogs(LoggerContext context) {
      logger = context.getLogger("dev.switchboard");
      level = logger.getLevel();
      JsonLogEncoder json = new JsonLogEncoder();
      json.setContext(context);
      json.start();
      appender.setContext(context);
      appender.setEncoder(json);
      appender.setOutputStream(out);
      appender.start();
      logger.addAppender(appender);
      logger.setAdditive(false);
      logger.setLevel(Level.DEBUG);
    }

    static CapturedLogs start() {
      return new CapturedLogs((LoggerContext) LoggerFactory.getILoggerFactory());
    }

    String text() {
      return out.toString(StandardCharsets.UTF_8);
    }

    /** Every line, each parsed: a line that is not a JSON object fails the test. */
    List<JsonNode> lines() {
      List<JsonNode> parsed = text().lines().map(PushHttp::parse).toList();
      parsed.forEach(
          line ->
              assertThat(line.has("timestamp") && line.has("message"))
                  .as(line.toString())
                  .isTrue());
      return parsed;
    }

    @Override
    public void close() {
      logger.setLevel(level);
      logger.setAdditive(true);
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
