package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/notifications/batch}: items are sent in order, each gets a result by index;
 * {@code stop_on_error} sends nothing after the first failure; {@code deduplicate} skips an item
 * with the same target and event type as an earlier one; at most 100 items. Devices: alice
 * (orders), bob (news), carol (no channels).
 */
class PushBatchTest {

  private static final String BATCH = "/api/v1/notifications/batch";

  private PushFixture push;
  private PushDevice alice;
  private PushDevice bob;
  private PushDevice carol;

  @BeforeEach
  void connect() {
    push = PushFixture.start(PushFixture.production());
    alice = push.device("alice");
    bob = push.device("bob");
    carol = push.device("carol");
    alice.subscribe("orders");
    bob.subscribe("news");
  }

  @AfterEach
  void close() {
    push.close();
  }

  /** A batch of {@code items} (single-quoted JSON objects) with {@code options}. */
  private JsonNode batch(String options, String... items) {
    return push.http.ok(
        BATCH,
        PushHttp.json(
            "{'notifications':[" + String.join(",", items) + "],'options':" + options + "}"));
  }

  private static String item(String type, String value, String eventType) {
    return "{'target':{'type':'"
        + type
        + "'"
        + (value == null ? "" : ",'value':" + value)
        + "},'event_type':'"
        + eventType
        + "','payload':{}}";
  }

  @Test
  void everyTargetTypeReachesItsDevicesAndEachItemGetsAResultByIndex() {
    JsonNode answer =
        batch(
            "{}",
            item("user", "'alice'", "to-alice"),
            item("users", "['bob','carol']", "to-bob-and-carol"),
            item("broadcast", null, "to-all"),
            item("channel", "'orders'", "to-orders"),
            item("channels", "['orders','news']", "to-orders-and-news"));

    assertThat(PushHttp.fieldNames(answer))
        .containsExactly("results", "successful", "failed", "skipped");
    assertThat(answer.get("successful").asInt()).isEqualTo(5);
    assertThat(answer.get("failed").asInt()).isZero();
    assertThat(answer.get("skipped").asInt()).isZero();
    List<Integer> reached = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonNode result = answer.get("results").get(i);
      assertThat(result.get("index").asInt()).isEqualTo(i);
      assertThat(result.get("success").asBoolean()).isTrue();
      assertThat(UUID.fromString(result.get("notification_id").asText())).isNotNull();
      reached.add(result.get("delivered_to").asInt());
    }
    assertThat(reached).containsExactly(1, 2, 3, 1, 2);
    push.settle();
    assertThat(alice.takeEvents())
        .containsExactly("to-alice", "to-all", "to-orders", "to-orders-and-news");
    assertThat(bob.takeEvents())
        .containsExactly("to-bob-and-carol", "to-all", "to-orders-and-news");
    assertThat(carol.takeEvents()).containsExactly("to-bob-and-carol", "to-all");
  }

  @Test
  void aFailedItemDoesNotStopTheOthersByDefault() {
    JsonNode answer =
        batch(
            "{}",
            item("user", "'alice'", "first"),
            "{'target':{'type':'user','value':'alice'},'event_type':'bad','payload':{},'priority':'Urgent'}",
            item("user", "'alice'", "third"));

    assertThat(answer.get("successful").asInt()).isEqualTo(2);
    assertThat(answer.get("failed").asInt()).isEqualTo(1);
    JsonNode failed = answer.get("results").get(1);
    assertThat(failed.get("success").asBoolean()).isFalse();
    assertThat(failed.get("error").asText()).contains("priority").contains("Urgent");
    assertThat(failed.has("notification_id")).isFalse();
    push.settle();
    assertThat(alice.takeEvents()).containsExactly("first", "third");
  }

  @Test
  void stopOnErrorSendsNothingAfterTheFirstFailure() {
    JsonNode answer =
        batch(
            "{'stop_on_error':true}",
            item("user", "'alice'", "first"),
            item("channel", "'not a channel'", "bad"),
            item("user", "'alice'", "third"),
            item("broadcast", null, "fourth"));

    assertThat(answer.get("successful").asInt()).isEqualTo(1);
    assertThat(answer.get("failed").asInt()).isEqualTo(3);
    assertThat(answer.get("results").get(1).get("error").asText()).contains("not a channel");
    for (int i : new int[] {2, 3}) {
      JsonNode result = answer.get("results").get(i);
      assertThat(result.get("index").asInt()).isEqualTo(i);
      assertThat(result.get("success").asBoolean()).isFalse();
      assertThat(result.get("error").asText()).contains("not sent").contains("item 1");
    }
    push.settle();
    assertThat(alice.takeEvents()).containsExactly("first");
    assertThat(bob.takeEvents()).isEmpty();
  }

  @Test
  void deduplicateSkipsAnItemWithTheSameTargetAndEventType() {
    JsonNode answer =
        batch(
            "{'deduplicate':true}",
            item("user", "'alice'", "ping"),
            item("user", "'alice'", "ping"),
            item("user", "'alice'", "pong"),
            item("user", "'bob'", "ping"),
            item("channel", "'orders'", "ping"));

    assertThat(answer.get("successful").asInt()).isEqualTo(4);
    assertThat(answer.get("skipped").asInt()).isEqualTo(1);
    assertThat(answer.get("failed").asInt()).isZero();
    JsonNode skipped = answer.get("results").get(1);
    assertThat(skipped.get("success").asBoolean()).isFalse();
    assertThat(skipped.get("skipped").asBoolean()).isTrue();
    assertThat(skipped.get("error").asText()).contains("item 0");
    push.settle();
    assertThat(alice.takeEvents()).containsExactly("ping", "pong", "ping");
    assertThat(bob.takeEvents()).containsExactly("ping");
  }

  @Test
  void withoutDeduplicateTheSameNotificationIsSentTwice() {
    JsonNode answer = batch("{}", item("user", "'alice'", "ping"), item("user", "'alice'", "ping"));

    assertThat(answer.get("successful").asInt()).isEqualTo(2);
    push.settle();
    assertThat(alice.takeEvents()).containsExactly("ping", "ping");
  }

  @Test
  void aBatchHoldsAtMost100Items() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      items.add(item("user", "'carol'", "n" + i));
    }
    PushHttp.Response over =
        push.http.post(BATCH, PushHttp.json("{'notifications':[" + String.join(",", items) + "]}"));
    assertThat(over.status()).isEqualTo(422);
    assertThat(over.json().get("error").get("message").asText()).contains("100").contains("101");

    JsonNode full =
        push.http.ok(
            BATCH,
            PushHttp.json("{'notifications':[" + String.join(",", items.subList(0, 100)) + "]}"));
    assertThat(full.get("successful").asInt()).isEqualTo(100);
    push.settle();
    assertThat(carol.takeEvents()).hasSize(100).startsWith("n0", "n1").endsWith("n99");
  }

  @Test
  void anUnknownTargetTypeFailsThatItemNamingTheTypes() {
    JsonNode answer =
        batch("{}", item("group", "'admins'", "e"), "{'event_type':'e','payload':{}}");

    assertThat(answer.get("failed").asInt()).isEqualTo(2);
    assertThat(answer.get("results").get(0).get("error").asText())
        .contains("group")
        .contains("user, users, broadcast, channel, channels");
    assertThat(answer.get("results").get(1).get("error").asText()).contains("target");
  }

  @Test
  void aBatchThatIsNotAListIsUnprocessable() {
    assertThat(push.http.post(BATCH, PushHttp.json("{'notifications':{}}")).status())
        .isEqualTo(422);
    assertThat(push.http.post(BATCH, PushHttp.json("{'notifications':[]}")).status())
        .isEqualTo(422);
    assertThat(
            push.http
                .post(
                    BATCH,
                    PushHttp.json(
                        "{'notifications':["
                            + item("user", "'a'", "e")
                            + "],'options':{'stop_on_error':'yes'}}"))
                .status())
        .isEqualTo(422);
  }
}
