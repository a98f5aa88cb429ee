package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotent sends: a send carrying {@code idempotency_key} in its body (each batch item too), or
 * an {@code Idempotency-Key} header, is sent once; a repeat of the same request with the same key
 * gets the first answer, with the same {@code notification_id}, and delivers nothing again. The
 * same key with a different request is 422.
 *
 * <p>That a device got nothing more is proven by a later notification, which arrives after anything
 * sent before it.
 */
class PushIdempotencyTest {

  private static final String SEND = "/api/v1/notifications/send";

  private PushFixture push;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production());
  }

  @AfterEach
  void close() {
    push.close();
  }

  private PushHttp.Response post(String action, String singleQuotedBody, String... headers) {
    return push.http.post(
        "/api/v1/notifications/" + action, PushHttp.json(singleQuotedBody), headers);
  }

  private static String toAlice(String eventType, String extra) {
    return "{'target_user_id':'alice','event_type':'" + eventType + "','payload':{}" + extra + "}";
  }

  /** Sends alice {@code live} and returns what {@code device} got up to it. */
  private List<String> eventsUpToLive(PushDevice device) {
    push.sendTo("alice", "live");
    device.awaitEvent("live");
    return device.takeEvents();
  }

  private static JsonNode ok(PushHttp.Response response) {
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    return response.json();
  }

  @Test
  void aRepeatWithTheSameBodyKeyGetsTheFirstAnswerAndDeliversNothingAgain() {
    PushDevice phone = push.device("alice");

    JsonNode first = push.notify("send", toAlice("once", ",'idempotency_key':'order-42'"));
    JsonNode repeat = push.notify("send", toAlice("once", ",'idempotency_key':'order-42'"));

    assertThat(repeat).isEqualTo(first);
    assertThat(first.get("delivered_to").asInt()).isEqualTo(1);
    assertThat(eventsUpToLive(phone)).containsExactly("once", "live");
  }

  @Test
  void aRepeatWithTheSameHeaderKeyGetsTheFirstAnswerAndDeliversNothingAgain() {
    PushDevice phone = push.device("alice");

    JsonNode first = ok(post("send", toAlice("once", ""), "Idempotency-Key", "order-42"));
    JsonNode repeat = ok(post("send", toAlice("once", ""), "Idempotency-Key", "order-42"));

    assertThat(repeat).isEqualTo(first);
    assertThat(eventsUpToLive(phone)).containsExactly("once", "live");
  }

  @Test
  void aRepeatOfAQueuedSendQueuesItOnce() {
    JsonNode first = push.notify("send", toAlice("queued", ",'idempotency_key':'k'"));
    JsonNode repeat = push.notify("send", toAlice("queued", ",'idempotency_key':'k'"));

    assertThat(repeat).isEqualTo(first);
    assertThat(first.get("queued").asBoolean()).isTrue();
    assertThat(eventsUpToLive(push.device("alice"))).containsExactly("queued", "live");
  }

  @Test
  void withoutAKeyARepeatIsSentAgain() {
    PushDevice phone = push.device("alice");

    JsonNode first = push.notify("send", toAlice("twice", ""));
    JsonNode repeat = push.notify("send", toAlice("twice", ""));

    assertThat(repeat.get("notification_id")).isNotEqualTo(first.get("notification_id"));
    assertThat(eventsUpToLive(phone)).containsExactly("twice", "twice", "live");
  }

  @Test
  void everyEndpointAnswersARepeatWithTheFirstAnswer() {
    PushDevice phone = push.device("alice");
    phone.subscribe("orders");
    String[][] sends = {
      {"send-to-users", "{'target_user_ids':['alice'],'event_type':'to-users','payload':{}}"},
      {"broadcast", "{'event_type':'to-all','payload':{}}"},
      {"channel", "{'channel':'orders','event_type':'to-channel','payload':{}}"},
      {"channels", "{'channels':['orders'],'event_type':'to-channels','payload':{}}"},
    };

    for (String[] send : sends) {
      String key = "key-" + send[0];
      JsonNode first = ok(post(send[0], send[1], "Idempotency-Key", key));
      assertThat(ok(post(send[0], send[1], "Idempotency-Key", key))).as(send[0]).isEqualTo(first);
    }

    assertThat(eventsUpToLive(phone))
        .containsExactly("to-users", "to-all", "to-channel", "to-channels", "live");
  }

  @Test
  void repeatsArrivingTogetherAllGetTheOneAnswerOfTheOneSend() {
    PushDevice phone = push.device("alice");
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(
            callers.submit(() -> push.notify("send", toAlice("once", ",'idempotency_key':'k'"))));
      }
      Set<JsonNode> distinct = new HashSet<>();
      for (Future<JsonNode> answer : answers) {
        distinct.add(answer.get(PushFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS));
      }

      assertThat(distinct).hasSize(1);
      assertThat(eventsUpToLive(phone)).containsExactly("once", "live");
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void theSameKeyWithADifferentRequestIs422AndSendsNothing() {
    PushDevice phone = push.device("alice");
    push.notify("send", toAlice("first", ",'idempotency_key':'k'"));

    PushHttp.Response otherBody = post("send", toAlice("second", ",'idempotency_key':'k'"));
    PushHttp.Response otherEndpoint =
        post(
            "channel",
            "{'channel':'orders','event_type':'first','payload':{},'idempotency_key':'k'}");

    assertThat(otherBody.status()).isEqualTo(422);
    assertThat(otherBody.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(otherBody.json().get("error").get("message").asText()).contains("\"k\"");
    assertThat(otherEndpoint.status()).isEqualTo(422);
    assertThat(eventsUpToLive(phone)).containsExactly("first", "live");
  }

  @Test
  void aKeyMustBeOneTo255PrintableCharacters() {
    assertThat(post("send", toAlice("e", ",'idempotency_key':'has space'")).status())
        .isEqualTo(422);
    assertThat(post("send", toAlice("e", ",'idempotency_key':''")).status()).isEqualTo(422);
    assertThat(post("send", toAlice("e", ",'idempotency_key':'" + "k".repeat(256) + "'")).status())
        .isEqualTo(422);
    assertThat(post("send", toAlice("e", ",'idempotency_key':'" + "k".repeat(255) + "'")).status())
        .isEqualTo(200);
  }

  @Test
  void batchItemsWithTheirOwnKeysAreEachSentOnce() {
    PushDevice phone = push.device("alice");
    phone.subscribe("orders");
    String batch =
        "{'notifications':["
            + "{'target':{'type':'user','value':'alice'},'event_type':'a','payload':{},"
            + "'idempotency_key':'item-a'},"
            + "{'target':{'type':'channel','value':'orders'},'event_type':'b','payload':{},"
            + "'idempotency_key':'item-b'},"
            + "{'target':{'type':'user','value':'alice'},'event_type':'c','payload':{}}]}";

    JsonNode first = push.notify("batch", batch);
    JsonNode repeat = push.notify("batch", batch);

    for (int i = 0; i < 2; i++) {
      assertThat(repeat.get("results").get(i))
          .as("item %d", i)
          .isEqualTo(first.get("results").get(i));
    }
    assertThat(repeat.get("results").get(2).get("notification_id"))
        .isNotEqualTo(first.get("results").get(2).get("notification_id"));
    assertThat(repeat.get("successful").asInt()).isEqualTo(3);
    assertThat(eventsUpToLive(phone)).containsExactly("a", "b", "c", "c", "live");
  }

  @Test
  void aBatchItemKeyMatchesTheSameItemInAnotherBatch() {
    PushDevice phone = push.device("alice");
    String item =
        "{'target':{'type':'user','value':'alice'},'event_type':'a','payload':{},"
            + "'idempotency_key':'item-a'}";
    JsonNode first = push.notify("batch", "{'notifications':[" + item + "]}");

    JsonNode later =
        push.notify(
            "batch",
            "{'notifications':[{'target':{'type':'user','value':'alice'},'event_type':'z',"
                + "'payload':{}},"
                + item
                + "]}");

    assertThat(later.get("results").get(1).get("notification_id"))
        .isEqualTo(first.get("results").get(0).get("notification_id"));
    assertThat(later.get("results").get(1).get("index").asInt()).isEqualTo(1);
    assertThat(eventsUpToLive(phone)).containsExactly("a", "z", "live");
  }

  @Test
  void aBatchWithAnIdempotencyKeyHeaderIsSentOnceWhole() {
    PushDevice phone = push.device("alice");
    String batch =
        "{'notifications':["
            + "{'target':{'type':'user','value':'alice'},'event_type':'a','payload':{}},"
            + "{'target':{'type':'user','value':'alice'},'event_type':'b','payload':{}}]}";

    JsonNode first = ok(post("batch", batch, "Idempotency-Key", "batch-1"));
    JsonNode repeat = ok(post("batch", batch, "Idempotency-Key", "batch-1"));

    assertThat(repeat).isEqualTo(first);
    assertThat(eventsUpToLive(phone)).containsExactly("a", "b", "live");
  }

  @Test
  void statsCountTheKeysKept() {
    push.notify("send", toAlice("e", ",'idempotency_key':'k1'"));
    push.notify("send", toAlice("e", ",'idempotency_key':'k1'"));
    ok(post("send", toAlice("f", ""), "Idempotency-Key", "k2"));

    assertThat(push.stats().get("idempotency_keys").asLong()).isEqualTo(2);
  }

  @Test
  void aSendRefusedAsInvalidKeepsNothingSoTheKeyStaysFree() {
    PushDevice phone = push.device("alice");
    PushHttp.Response refused =
        push.http.post(SEND, PushHttp.json("{'target_user_id':'alice','idempotency_key':'k'}"));
    assertThat(refused.status()).isEqualTo(422);

    JsonNode sent = push.notify("send", toAlice("fixed", ",'idempotency_key':'k'"));

    assertThat(sent.get("delivered_to").asInt()).isEqualTo(1);
    assertThat(eventsUpToLive(phone)).containsExactly("fixed", "live");
  }
}
