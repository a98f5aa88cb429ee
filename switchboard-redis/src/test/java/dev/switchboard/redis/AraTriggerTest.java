package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ara's trigger messages read into a target and a notification, or refused naming the field. */
class AraTriggerTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.123Z");
  private static final String EVENT =
      "\"event\":{\"event_type\":\"chat.message\",\"payload\":{\"a\":1}}";

  private static AraTrigger valid(String json) {
    AraTrigger.Parsed parsed = parse(json);
    assertThat(parsed).isInstanceOf(AraTrigger.Parsed.Valid.class);
    return ((AraTrigger.Parsed.Valid) parsed).trigger();
  }

  private static String malformed(String json) {
    AraTrigger.Parsed parsed = parse(json);
    assertThat(parsed).isInstanceOf(AraTrigger.Parsed.Malformed.class);
    AraTrigger.Parsed.Malformed bad = (AraTrigger.Parsed.Malformed) parsed;
    assertThat(bad.channel()).isEqualTo("notification:user:alice");
    return bad.reason();
  }

  private static AraTrigger.Parsed parse(String json) {
    return AraTrigger.parse("notification:user:alice", json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void aUserTriggerTargetsThatUserWithTheEventAndDefaults() {
    AraTrigger trigger = valid("{\"type\":\"user\",\"target\":\"alice\"," + EVENT + "}");

    assertThat(trigger.tenant()).isEqualTo(Tenant.DEFAULT);
    assertThat(trigger.target()).isEqualTo(new Target.User("alice"));
    Notification n = trigger.notification();
    assertThat(n.eventType()).isEqualTo("chat.message");
    assertThat(n.payload()).isEqualTo(Json.nodes().objectNode().put("a", 1));
    assertThat(n.occurredAt()).isEqualTo(NOW);
    assertThat(n.metadata().source()).isEqualTo("redis");
    assertThat(n.metadata().priority()).isEqualTo(Priority.NORMAL);
    assertThat(n.metadata().ttlSeconds()).isEmpty();
    assertThat(n.metadata().correlationId()).isEmpty();
  }

  @Test
  void priorityTtlAndCorrelationIdAreTakenFromTheEvent() {
    AraTrigger trigger =
        valid(
            "{\"type\":\"user\",\"target\":\"alice\",\"event\":{\"event_type\":\"x\","
                + "\"payload\":null,\"priority\":\"Critical\",\"ttl\":3600,"
                + "\"correlation_id\":\"c-1\"}}");

    assertThat(trigger.notification().payload().isNull()).isTrue();
    assertThat(trigger.notification().metadata().priority()).isEqualTo(Priority.CRITICAL);
    assertThat(trigger.notification().metadata().ttlSeconds()).isEqualTo(OptionalLong.of(3600));
    assertThat(trigger.notification().metadata().correlationId()).isEqualTo(Optional.of("c-1"));
  }

  @Test
  void nullOptionalFieldsMeanTheDefaults() {
    AraTrigger trigger =
        valid(
            "{\"type\":\"broadcast\",\"target\":null,\"tenant_id\":null,\"event\":{"
                + "\"event_type\":\"x\",\"payload\":1,\"priority\":null,\"ttl\":null,"
                + "\"correlation_id\":null}}");

    assertThat(trigger.target()).isEqualTo(new Target.Broadcast(Tenant.DEFAULT));
    assertThat(trigger.notification().metadata().priority()).isEqualTo(Priority.NORMAL);
    assertThat(trigger.notification().metadata().ttlSeconds()).isEmpty();
  }

  @Test
  void eachTypeMakesItsTarget() {
    assertThat(valid("{\"type\":\"users\",\"target\":[\"a\",\"b\",\"a\"]," + EVENT + "}").target())
        .isEqualTo(new Target.Users(List.of("a", "b")));
    assertThat(valid("{\"type\":\"broadcast\"," + EVENT + "}").target())
        .isEqualTo(new Target.Broadcast());
    assertThat(valid("{\"type\":\"channel\",\"target\":\"orders\"," + EVENT + "}").target())
        .isEqualTo(new Target.Channel("orders"));
    assertThat(valid("{\"type\":\"channels\",\"target\":[\"a.b\",\"c\"]," + EVENT + "}").target())
        .isEqualTo(new Target.Channels(List.of("a.b", "c")));
  }

  @Test
  void aTenantScopesEveryKindOfTargetToItsKeys() {
    Tenant acme = new Tenant("acme");
    String tenant = ",\"tenant_id\":\"acme\"," + EVENT + "}";

    AraTrigger user = valid("{\"type\":\"user\",\"target\":\"alice\"" + tenant);

    assertThat(user.tenant()).isEqualTo(acme);
    assertThat(user.target()).isEqualTo(new Target.User(acme.user("alice")));
    assertThat(valid("{\"type\":\"users\",\"target\":[\"alice\"]" + tenant).target())
        .isEqualTo(new Target.Users(List.of(acme.user("alice"))));
    assertThat(valid("{\"type\":\"broadcast\"" + tenant).target())
        .isEqualTo(new Target.Broadcast(acme));
    assertThat(valid("{\"type\":\"channel\",\"target\":\"orders\"" + tenant).target())
        .isEqualTo(new Target.Channel("acme~orders"));
    assertThat(valid("{\"type\":\"channels\",\"target\":[\"orders\"]" + tenant).target())
        .isEqualTo(new Target.Channels(List.of("acme~orders")));
  }

  @Test
  void theTargetComesFromTheMessageNotFromTheChannelItCameOn() {
    AraTrigger trigger = valid("{\"type\":\"user\",\"target\":\"bob\"," + EVENT + "}");

    assertThat(trigger.target()).isEqualTo(new Target.User("bob"));
  }

  @Test
  void identicalMessagesAreTwoNotifications() {
    String json = "{\"type\":\"user\",\"target\":\"alice\"," + EVENT + "}";

    assertThat(valid(json).notification().id()).isNotEqualTo(valid(json).notification().id());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "not JSON | {\"type\": | not JSON: ",
        "a JSON array | [1] | the message must be a JSON object, got ARRAY",
        "an empty body | `` | the message must be a JSON object, got nothing",
        "no type | {\"target\":\"a\",EVENT} | type is required",
        "a type not a string | {\"type\":1,EVENT} | type must be a string, got 1",
        "an unknown type | {\"type\":\"group\",\"target\":\"a\",EVENT}"
            + " | type must be one of user, users, broadcast, channel, channels, got \"group\"",
        "no target | {\"type\":\"user\",EVENT} | target is required",
        "a user target not a string | {\"type\":\"user\",\"target\":[\"a\"],EVENT}"
            + " | target must be a string, got [\"a\"]",
        "a blank user id | {\"type\":\"user\",\"target\":\" \",EVENT}"
            + " | target: invalid user id \" \": must be 1-256 characters and not blank",
        "a user id with the tenant separator | {\"type\":\"user\",\"target\":\"acme\\u001falice\",EVENT}"
            + " | target: invalid user id",
        "an empty users array | {\"type\":\"users\",\"target\":[],EVENT}"
            + " | target must be a non-empty array of strings, got []",
        "a users array with a number | {\"type\":\"users\",\"target\":[\"a\",2],EVENT}"
            + " | target must contain only strings, got 2",
        "a bad channel name | {\"type\":\"channel\",\"target\":\"a b\",EVENT}"
            + " | target: invalid channel name \"a b\": use 1-64 characters",
        "a channel name with the tenant separator | {\"type\":\"channels\",\"target\":[\"acme~x\"],EVENT}"
            + " | target: invalid channel name \"acme~x\"",
        "a broadcast with a target | {\"type\":\"broadcast\",\"target\":\"a\",EVENT}"
            + " | target must be absent for a broadcast, got \"a\"",
        "a bad tenant | {\"type\":\"user\",\"target\":\"a\",\"tenant_id\":\"a/b\",EVENT}"
            + " | tenant_id: invalid tenant id \"a/b\"",
        "a tenant not a string | {\"type\":\"user\",\"target\":\"a\",\"tenant_id\":7,EVENT}"
            + " | tenant_id must be a string, got 7",
        "no event | {\"type\":\"user\",\"target\":\"a\"}"
            + " | event is required (an object with event_type and payload)",
        "an event not an object | {\"type\":\"user\",\"target\":\"a\",\"event\":\"x\"}"
            + " | event must be an object, got \"x\"",
        "no event type | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"payload\":1}}"
            + " | event.event_type is required",
        "a blank event type | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"\",\"payload\":1}}"
            + " | event.event_type: event_type must be 1-128 characters and not blank, got \"\"",
        "no payload | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\"}}"
            + " | event.payload is required (any JSON value)",
        "an unknown priority | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\",\"payload\":1,\"priority\":\"Urgent\"}}"
            + " | event.priority: priority must be one of Low, Normal, High, Critical, got \"Urgent\"",
        "a priority not a string | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\",\"payload\":1,\"priority\":2}}"
            + " | event.priority must be a string, got 2",
        "a zero ttl | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\",\"payload\":1,\"ttl\":0}}"
            + " | event.ttl must be a positive whole number of seconds, got 0",
        "a fractional ttl | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\",\"payload\":1,\"ttl\":1.5}}"
            + " | event.ttl must be a positive whole number of seconds, got 1.5",
        "a ttl as a string | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\",\"payload\":1,\"ttl\":\"60\"}}"
            + " | event.ttl must be a positive whole number of seconds, got \"60\"",
        "a correlation id not a string | {\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\",\"payload\":1,\"correlation_id\":5}}"
            + " | event.correlation_id must be a string, got 5",
      })
  void aMalformedTriggerIsRefusedNamingTheFieldAndTheRule(
      String description, String json, String reason) {
    String body = json == null ? "" : json.replace("EVENT", EVENT.substring(0, EVENT.length()));

    assertThat(malformed(body)).startsWith(reason.strip());
  }

  @Test
  void aCorrelationIdTooLongIsRefusedWithTheLimit() {
    String id = "c".repeat(257);

    assertThat(
            malformed(
                "{\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\","
                    + "\"payload\":1,\"correlation_id\":\""
                    + id
                    + "\"}}"))
        .isEqualTo("event: correlation_id must be at most 256 characters, got 257");
  }

  @Test
  void aPayloadNestedTooDeepIsRefusedWithTheLimit() {
    String payload = "[".repeat(65) + "]".repeat(65);

    assertThat(
            malformed(
                "{\"type\":\"user\",\"target\":\"a\",\"event\":{\"event_type\":\"x\",\"payload\":"
                    + payload
                    + "}}"))
        .isEqualTo(
            "event.payload: payload is nested 65 levels deep (arrays and objects); the limit is 64");
  }

  @Test
  void invalidUtf8IsNotJson() {
    AraTrigger.Parsed parsed =
        AraTrigger.parse("notification:users", new byte[] {'{', (byte) 0xff, '}'}, NOW);

    assertThat(parsed)
        .isInstanceOfSatisfying(
            AraTrigger.Parsed.Malformed.class,
            bad -> assertThat(bad.reason()).startsWith("not JSON: "));
  }

  @Test
  void aLoggedBodyIsCutAndItsControlCharactersEscaped() {
    byte[] body = ("a\nb" + "x".repeat(300)).getBytes(StandardCharsets.UTF_8);

    String excerpt = AraTriggers.excerpt(body);

    assertThat(excerpt).startsWith("a\\u000ab").endsWith("...").doesNotContain("\n");
    assertThat(excerpt).hasSize(AraTriggers.LOGGED_BODY_LENGTH + 5 + 3);
  }
}
