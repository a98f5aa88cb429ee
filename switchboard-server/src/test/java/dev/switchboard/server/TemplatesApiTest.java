package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/templates}, with Ara's bodies and answers: POST creates (201), GET lists and
 * reads, PUT changes the fields it gives, DELETE forgets (204); a taken id is 409, an unknown one
 * 404, a bad field 422 naming it; the API key is required; at most {@code templates.max_count} are
 * kept.
 */
class TemplatesApiTest {

  private static final String TEMPLATES = "/api/v1/templates";

  /** Ara's example, from its API reference. */
  private static final String ORDER_SHIPPED =
      """
      {"id": "order-shipped", "name": "Order Shipped", "event_type": "order.shipped",
       "payload_template": {"title": "Order {{order_id}} Shipped",
                            "body": "Your order is on the way! Tracking: {{tracking_number}}",
                            "action_url": "/orders/{{order_id}}"},
       "priority": "High", "ttl": 86400}""";

  private PushFixture push;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production().templatesMaxCount(3));
  }

  @AfterEach
  void close() {
    push.close();
  }

  private PushHttp.Response create(String body) {
    return push.http.post(TEMPLATES, body);
  }

  @Test
  void arasExampleIsCreatedAndAnsweredWithTheTemplate() {
    PushHttp.Response created = create(ORDER_SHIPPED);

    assertThat(created.status()).isEqualTo(201);
    JsonNode t = created.json();
    assertThat(PushHttp.fieldNames(t))
        .containsExactly(
            "id",
            "name",
            "event_type",
            "payload_template",
            "priority",
            "ttl",
            "description",
            "created_at",
            "updated_at");
    assertThat(t.get("id").asText()).isEqualTo("order-shipped");
    assertThat(t.get("name").asText()).isEqualTo("Order Shipped");
    assertThat(t.get("event_type").asText()).isEqualTo("order.shipped");
    assertThat(t.get("payload_template").get("title").asText())
        .isEqualTo("Order {{order_id}} Shipped");
    assertThat(t.get("priority").asText()).isEqualTo("High");
    assertThat(t.get("ttl").asLong()).isEqualTo(86400);
    assertThat(t.get("description").isNull()).isTrue();
    assertThat(t.get("created_at").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(t.get("updated_at")).isEqualTo(t.get("created_at"));

    assertThat(push.http.ok(TEMPLATES + "/order-shipped")).isEqualTo(t);
  }

  @Test
  void theListHoldsEveryTemplateByIdWithTheTotal() {
    create(ORDER_SHIPPED.replace("order-shipped", "b"));
    create(ORDER_SHIPPED.replace("order-shipped", "a"));

    JsonNode list = push.http.ok(TEMPLATES);

    assertThat(PushHttp.fieldNames(list)).containsExactly("templates", "total");
    assertThat(list.get("total").asInt()).isEqualTo(2);
    assertThat(list.get("templates").get(0).get("id").asText()).isEqualTo("a");
    assertThat(list.get("templates").get(1).get("id").asText()).isEqualTo("b");
  }

  @Test
  void anEmptyListIsEmpty() {
    assertThat(push.http.ok(TEMPLATES)).isEqualTo(PushHttp.parse("{\"templates\":[],\"total\":0}"));
  }

  @Test
  void priorityAndTtlAreOptionalAndAraCodesSpellingIsReadToo() {
    JsonNode plain =
        create(
                PushHttp.json(
                    "{'id':'plain','name':'n','event_type':'e','payload_template':'{{x}}'}"))
            .json();
    JsonNode spelled =
        create(
                PushHttp.json(
                    "{'id':'spelled','name':'n','event_type':'e','payload_template':{},"
                        + "'default_priority':'critical','default_ttl':60,'description':'d'}"))
            .json();

    assertThat(plain.get("priority").asText()).isEqualTo("Normal");
    assertThat(plain.get("ttl").isNull()).isTrue();
    assertThat(spelled.get("priority").asText()).isEqualTo("Critical");
    assertThat(spelled.get("ttl").asInt()).isEqualTo(60);
    assertThat(spelled.get("description").asText()).isEqualTo("d");
  }

  @Test
  void putChangesTheFieldsItGivesAndKeepsTheRest() {
    JsonNode before = create(ORDER_SHIPPED).json();

    PushHttp.Response put =
        push.http.sendJson(
            "PUT",
            TEMPLATES + "/order-shipped",
            PushHttp.json("{'name':'Shipped!','priority':'Low','ttl':null}"));

    assertThat(put.status()).isEqualTo(200);
    JsonNode after = put.json();
    assertThat(after.get("name").asText()).isEqualTo("Shipped!");
    assertThat(after.get("priority").asText()).isEqualTo("Low");
    assertThat(after.get("ttl").isNull()).isTrue();
    assertThat(after.get("event_type")).isEqualTo(before.get("event_type"));
    assertThat(after.get("payload_template")).isEqualTo(before.get("payload_template"));
    assertThat(after.get("created_at")).isEqualTo(before.get("created_at"));
    assertThat(after.get("updated_at").asText())
        .isGreaterThanOrEqualTo(before.get("updated_at").asText());
    assertThat(push.http.ok(TEMPLATES + "/order-shipped")).isEqualTo(after);
  }

  @Test
  void deleteForgetsTheTemplateAndAnswers204() {
    create(ORDER_SHIPPED);

    PushHttp.Response deleted = push.http.send("DELETE", TEMPLATES + "/order-shipped");

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(push.http.get(TEMPLATES + "/order-shipped").status()).isEqualTo(404);
    assertThat(push.http.ok(TEMPLATES).get("total").asInt()).isZero();
  }

  @Test
  void aTakenIdIs409AndTheTemplateStaysAsItWas() {
    create(ORDER_SHIPPED);

    PushHttp.Response again = create(ORDER_SHIPPED.replace("Order Shipped\"", "Other\""));

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("error").get("code").asText()).isEqualTo("CONFLICT");
    assertThat(again.json().get("error").get("message").asText())
        .contains("\"order-shipped\" exists already");
    assertThat(push.http.ok(TEMPLATES + "/order-shipped").get("name").asText())
        .isEqualTo("Order Shipped");
  }

  @Test
  void anUnknownIdIs404ForGetPutAndDelete() {
    PushHttp.Response get = push.http.get(TEMPLATES + "/nope");
    PushHttp.Response put = push.http.sendJson("PUT", TEMPLATES + "/nope", "{\"name\":\"x\"}");
    PushHttp.Response delete = push.http.send("DELETE", TEMPLATES + "/nope");

    for (PushHttp.Response r : new PushHttp.Response[] {get, put, delete}) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().get("error").get("message").asText())
          .isEqualTo("no template with id \"nope\"");
    }
  }

  @Test
  void aBadFieldIs422NamingIt() {
    assertInvalid("{'name':'n','event_type':'e','payload_template':{}}", "id is required");
    assertInvalid(
        "{'id':'a.b','name':'n','event_type':'e','payload_template':{}}",
        "id must be 1-64 characters of letters, digits, '_' and '-', got \"a.b\"");
    assertInvalid(
        "{'id':'" + "x".repeat(65) + "','name':'n','event_type':'e','payload_template':{}}",
        "id must be 1-64 characters");
    assertInvalid("{'id':'t','event_type':'e','payload_template':{}}", "name is required");
    assertInvalid("{'id':'t','name':'n','payload_template':{}}", "event_type is required");
    assertInvalid("{'id':'t','name':'n','event_type':'e'}", "payload_template is required");
    assertInvalid(
        "{'id':'t','name':'n','event_type':'e','payload_template':{},'priority':'urgent'}",
        "priority must be one of Low, Normal, High, Critical");
    assertInvalid(
        "{'id':'t','name':'n','event_type':'e','payload_template':{},'ttl':0}",
        "ttl must be a positive whole number of seconds, got 0");
    assertThat(push.http.ok(TEMPLATES).get("total").asInt()).isZero();
  }

  @Test
  void aPutWhoseBodyNamesAnotherIdIs422() {
    create(ORDER_SHIPPED);

    PushHttp.Response put =
        push.http.sendJson("PUT", TEMPLATES + "/order-shipped", "{\"id\":\"other\"}");

    assertThat(put.status()).isEqualTo(422);
    assertThat(put.json().get("error").get("message").asText())
        .isEqualTo(
            "id in the body (\"other\") differs from the id in the path (\"order-shipped\")");
  }

  @Test
  void beyondTheMaxCountANewTemplateIs422UntilOneIsDeleted() {
    for (String id : new String[] {"t1", "t2", "t3"}) {
      assertThat(create(ORDER_SHIPPED.replace("order-shipped", id)).status()).isEqualTo(201);
    }

    PushHttp.Response fourth = create(ORDER_SHIPPED.replace("order-shipped", "t4"));

    assertThat(fourth.status()).isEqualTo(422);
    assertThat(fourth.json().get("error").get("message").asText())
        .isEqualTo(
            "no room for another template: the server keeps at most 3 (templates.max_count);"
                + " delete one first");
    push.http.send("DELETE", TEMPLATES + "/t1");
    assertThat(create(ORDER_SHIPPED.replace("order-shipped", "t4")).status()).isEqualTo(201);
  }

  @Test
  void everyTemplateRequestNeedsTheApiKey() {
    PushHttp noKey = new PushHttp(push.server.port(), java.util.Optional.empty());

    assertThat(noKey.post(TEMPLATES, ORDER_SHIPPED).status()).isEqualTo(401);
    assertThat(noKey.get(TEMPLATES).status()).isEqualTo(401);
    assertThat(noKey.get(TEMPLATES + "/order-shipped").status()).isEqualTo(401);
    assertThat(noKey.sendJson("PUT", TEMPLATES + "/order-shipped", "{}").status()).isEqualTo(401);
    assertThat(noKey.send("DELETE", TEMPLATES + "/order-shipped").status()).isEqualTo(401);
    assertThat(push.http.ok(TEMPLATES).get("total").asInt()).isZero();
  }

  @Test
  void anotherMethodIs405NamingTheAllowedOnes() {
    PushHttp.Response patch = push.http.sendJson("PATCH", TEMPLATES + "/t", "{}");

    assertThat(patch.status()).isEqualTo(405);
    assertThat(patch.header("Allow")).hasValue("GET, HEAD, PUT, DELETE, OPTIONS");
    assertThat(patch.json().get("error").get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(patch.json().get("error").get("message").asText())
        .isEqualTo("/api/v1/templates/t takes GET, HEAD, PUT, DELETE, OPTIONS, not PATCH");
  }

  private void assertInvalid(String singleQuotedBody, String message) {
    PushHttp.Response r = create(PushHttp.json(singleQuotedBody));
    assertThat(r.status()).as(singleQuotedBody).isEqualTo(422);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(r.json().get("error").get("message").asText()).startsWith(message);
  }
}
