package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch as Ara's backends send it: targets {@code {type: user, id}}, {@code {type: users, ids}},
 * {@code {type: channel, name}}, {@code {type: channels, names}}, {@code {type: broadcast}}; items
 * with {@code template_id} and {@code variables}; and {@code atomic: true}, which sends nothing
 * unless every item is valid. Answers in Ara's shape: {@code {results: [{index, success,
 * notification_id}], successful, failed}}. Devices: alice (orders), bob (news), carol (none).
 */
class PushBatchAraTest {

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

  private JsonNode batch(String singleQuotedBody) {
    return push.http.ok(BATCH, PushHttp.json(singleQuotedBody));
  }

  @Test
  void arasExampleBatchIsSentAndAnsweredInArasShape() {
    JsonNode answer =
        batch(
            """
            {'notifications': [
              {'target': {'type': 'user', 'id': 'alice'},
               'event_type': 'message.new', 'payload': {'text': 'Hello'}},
              {'target': {'type': 'channel', 'name': 'orders'},
               'event_type': 'order.created', 'payload': {'order_id': '123'}}],
             'atomic': false}""");

    assertThat(answer.get("successful").asInt()).isEqualTo(2);
    assertThat(answer.get("failed").asInt()).isZero();
    for (int i = 0; i < 2; i++) {
      JsonNode result = answer.get("results").get(i);
      assertThat(result.get("index").asInt()).isEqualTo(i);
      assertThat(result.get("success").asBoolean()).isTrue();
      assertThat(result.get("notification_id").asText()).isNotBlank();
    }
    assertThat(alice.awaitEvent("message.new").get("payload").get("text").asText())
        .isEqualTo("Hello");
    assertThat(alice.awaitEvent("order.created").get("channel").asText()).isEqualTo("orders");
  }

  @Test
  void everyAraTargetReachesItsDevices() {
    JsonNode answer =
        batch(
            """
            {'notifications': [
              {'target': {'type': 'user', 'id': 'carol'}, 'event_type': 'to-carol', 'payload': {}},
              {'target': {'type': 'users', 'ids': ['alice', 'bob']}, 'event_type': 'to-two', 'payload': {}},
              {'target': {'type': 'channel', 'name': 'news'}, 'event_type': 'to-news', 'payload': {}},
              {'target': {'type': 'channels', 'names': ['orders', 'news']}, 'event_type': 'to-both', 'payload': {}},
              {'target': {'type': 'broadcast'}, 'event_type': 'to-all', 'payload': {}}],
             'atomic': true}""");
    push.settle();

    assertThat(answer.get("successful").asInt()).isEqualTo(5);
    assertThat(alice.takeEvents()).containsExactly("to-two", "to-both", "to-all");
    assertThat(bob.takeEvents()).containsExactly("to-two", "to-news", "to-both", "to-all");
    assertThat(carol.takeEvents()).containsExactly("to-carol", "to-all");
  }

  @Test
  void ourTargetShapeStillWorksBesideAras() {
    JsonNode answer =
        batch(
            "{'notifications':[{'target':{'type':'user','value':'alice'},'event_type':'ours','payload':{}},"
                + "{'target':{'type':'channels','value':['news']},'event_type':'ours-too','payload':{}}]}");

    assertThat(answer.get("successful").asInt()).isEqualTo(2);
    alice.awaitEvent("ours");
    bob.awaitEvent("ours-too");
  }

  @Test
  void anAtomicBatchWithOneInvalidItemSendsNothingAndSaysWhyForEachItem() {
    JsonNode answer =
        batch(
            """
            {'notifications': [
              {'target': {'type': 'user', 'id': 'alice'}, 'event_type': 'first', 'payload': {}},
              {'target': {'type': 'channel', 'name': 'bad name!'}, 'event_type': 'second', 'payload': {}},
              {'target': {'type': 'broadcast'}, 'event_type': 'third', 'payload': {}}],
             'atomic': true}""");
    push.settle();

    assertThat(answer.get("successful").asInt()).isZero();
    assertThat(answer.get("failed").asInt()).isEqualTo(3);
    JsonNode results = answer.get("results");
    assertThat(results.get(0).get("success").asBoolean()).isFalse();
    assertThat(results.get(0).get("error").asText())
        .isEqualTo("not sent: item 1 is invalid and atomic is set");
    assertThat(results.get(1).get("error").asText()).contains("bad name!");
    assertThat(results.get(2).get("error").asText())
        .isEqualTo("not sent: item 1 is invalid and atomic is set");
    assertThat(alice.takeEvents()).isEmpty();
    assertThat(bob.takeEvents()).isEmpty();
    assertThat(carol.takeEvents()).isEmpty();
  }

  @Test
  void anAtomicBatchChecksTemplatesAndVariablesBeforeSendingAny() {
    push.http.post(
        "/api/v1/templates",
        PushHttp.json(
            "{'id':'greet','name':'Greeting','event_type':'greet','payload_template':'Hi {{who}}'}"));

    JsonNode refused =
        batch(
            """
            {'notifications': [
              {'target': {'type': 'user', 'id': 'alice'}, 'template_id': 'greet', 'variables': {'who': 'Alice'}},
              {'target': {'type': 'user', 'id': 'bob'}, 'template_id': 'greet', 'variables': {}}],
             'atomic': true}""");
    JsonNode sent =
        batch(
            """
            {'notifications': [
              {'target': {'type': 'user', 'id': 'alice'}, 'template_id': 'greet', 'variables': {'who': 'Alice'}},
              {'target': {'type': 'user', 'id': 'bob'}, 'template_id': 'greet', 'variables': {'who': 'Bob'}}],
             'atomic': true}""");
    push.settle();

    assertThat(refused.get("failed").asInt()).isEqualTo(2);
    assertThat(refused.get("results").get(1).get("error").asText())
        .isEqualTo("variable \"who\" is missing: the template uses {{who}}");
    assertThat(sent.get("successful").asInt()).isEqualTo(2);
    assertThat(alice.notifications())
        .filteredOn(n -> n.get("event_type").asText().equals("greet"))
        .extracting(n -> n.get("payload").asText())
        .containsExactly("Hi Alice");
    assertThat(bob.notifications())
        .filteredOn(n -> n.get("event_type").asText().equals("greet"))
        .extracting(n -> n.get("payload").asText())
        .containsExactly("Hi Bob");
  }

  @Test
  void withoutAtomicTheValidItemsAreSentAndTheInvalidOnesFailAlone() {
    JsonNode answer =
        batch(
            """
            {'notifications': [
              {'target': {'type': 'user'}, 'event_type': 'no-id', 'payload': {}},
              {'target': {'type': 'user', 'id': 'alice'}, 'event_type': 'fine', 'payload': {}},
              {'target': {'type': 'user', 'id': 'alice', 'value': 'bob'}, 'event_type': 'both', 'payload': {}},
              {'target': {'type': 'user', 'id': 'carol'}, 'template_id': 'nope', 'variables': {}}]}""");

    assertThat(answer.get("successful").asInt()).isOne();
    assertThat(answer.get("failed").asInt()).isEqualTo(3);
    JsonNode results = answer.get("results");
    assertThat(results.get(0).get("error").asText())
        .startsWith("target of type user needs id (or value)");
    assertThat(results.get(2).get("error").asText())
        .startsWith("target has both id and value; give id only");
    assertThat(results.get(3).get("error").asText()).isEqualTo("no template with id \"nope\"");
    alice.awaitEvent("fine");
  }

  @Test
  void atomicMustBeABoolean() {
    PushHttp.Response r =
        push.http.post(
            BATCH,
            PushHttp.json(
                "{'notifications':[{'target':{'type':'broadcast'},'event_type':'e','payload':{}}],"
                    + "'atomic':'yes'}"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").get("message").asText())
        .isEqualTo("atomic must be true or false, got \"yes\"");
  }
}
