package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every send endpoint accepts {@code template_id} and {@code variables} instead of {@code
 * event_type} and {@code payload}: devices receive the template's event type and its payload
 * rendered; the template's priority and ttl are defaults a request may override; a missing variable
 * is 422 naming it, an unknown template 404. Devices: alice (orders), bob (news).
 */
class PushTemplateSendTest {

  private PushFixture push;
  private PushDevice alice;
  private PushDevice bob;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production());
    alice = push.device("alice");
    bob = push.device("bob");
    alice.subscribe("orders");
    bob.subscribe("news");
    PushHttp.Response created =
        push.http.post(
            "/api/v1/templates",
            """
            {"id": "order-shipped", "name": "Order Shipped", "event_type": "order.shipped",
             "payload_template": {"title": "Order {{order_id}} Shipped!",
                                  "body": "Tracking: {{tracking_number}}",
                                  "action": {"url": "/orders/{{order_id}}/tracking"},
                                  "amount": "{{order.amount}}", "lines": ["{{order.lines}}"]},
             "priority": "High", "ttl": 86400}""");
    assertThat(created.status()).isEqualTo(201);
  }

  @AfterEach
  void close() {
    push.close();
  }

  private static final String VARIABLES =
      "'variables':{'order_id':'ORD-001','tracking_number':'TRK-12345',"
          + "'order':{'amount':99.5,'lines':[{'sku':'A'}]}}";

  private static final JsonNode RENDERED =
      PushHttp.parse(
          PushHttp.json(
              "{'title':'Order ORD-001 Shipped!','body':'Tracking: TRK-12345',"
                  + "'action':{'url':'/orders/ORD-001/tracking'},"
                  + "'amount':99.5,'lines':[[{'sku':'A'}]]}"));

  @Test
  void arasTemplateSendReachesTheUserRenderedWithTheTemplatesDefaults() {
    JsonNode answer =
        push.notify(
            "send", "{'target_user_id':'alice','template_id':'order-shipped'," + VARIABLES + "}");

    assertThat(answer.get("delivered_to").asInt()).isOne();
    JsonNode received = alice.awaitEvent("order.shipped");
    assertThat(received.get("id").asText()).isEqualTo(answer.get("notification_id").asText());
    assertThat(received.get("payload")).isEqualTo(RENDERED);
    assertThat(received.get("metadata").get("priority").asText()).isEqualTo("High");
    assertThat(received.get("metadata").get("ttl").asLong()).isEqualTo(86400);
  }

  @Test
  void theRequestsPriorityAndTtlOverrideTheTemplates() {
    push.notify(
        "send",
        "{'target_user_id':'alice','template_id':'order-shipped',"
            + VARIABLES
            + ",'priority':'Low','ttl':5}");

    JsonNode metadata = alice.awaitEvent("order.shipped").get("metadata");
    assertThat(metadata.get("priority").asText()).isEqualTo("Low");
    assertThat(metadata.get("ttl").asLong()).isEqualTo(5);
  }

  @Test
  void everySendEndpointTakesATemplate() {
    String template = "'template_id':'order-shipped'," + VARIABLES;

    push.notify("send-to-users", "{'target_user_ids':['alice','bob']," + template + "}");
    push.notify("broadcast", "{" + template + "}");
    push.notify("channel", "{'channel':'orders'," + template + "}");
    push.notify("channels", "{'channels':['orders','news']," + template + "}");
    push.settle();

    assertThat(alice.takeEvents())
        .containsExactly("order.shipped", "order.shipped", "order.shipped", "order.shipped");
    assertThat(bob.takeEvents()).containsExactly("order.shipped", "order.shipped", "order.shipped");
    assertThat(alice.notifications())
        .filteredOn(n -> n.get("event_type").asText().equals("order.shipped"))
        .allSatisfy(n -> assertThat(n.get("payload")).isEqualTo(RENDERED));
  }

  @Test
  void aMissingVariableIs422NamingItAndNothingIsSent() {
    PushHttp.Response r =
        push.http.post(
            "/api/v1/notifications/send",
            PushHttp.json(
                "{'target_user_id':'alice','template_id':'order-shipped',"
                    + "'variables':{'order_id':'ORD-001','order':{'amount':1,'lines':[]}}}"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").get("message").asText())
        .isEqualTo(
            "variable \"tracking_number\" is missing: the template uses {{tracking_number}}");
    push.settle();
    assertThat(alice.takeEvents()).isEmpty();
  }

  @Test
  void anUnknownTemplateIs404() {
    PushHttp.Response r =
        push.http.post(
            "/api/v1/notifications/broadcast",
            PushHttp.json("{'template_id':'nope','variables':{}}"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").get("message").asText())
        .isEqualTo("no template with id \"nope\"");
  }

  @Test
  void aTemplateWithEventTypeOrPayloadBesideIs422() {
    PushHttp.Response both =
        push.http.post(
            "/api/v1/notifications/broadcast",
            PushHttp.json("{'template_id':'order-shipped'," + VARIABLES + ",'payload':{}}"));
    PushHttp.Response variablesAlone =
        push.http.post(
            "/api/v1/notifications/broadcast",
            PushHttp.json("{'event_type':'e','payload':{},'variables':{}}"));
    PushHttp.Response notAnObject =
        push.http.post(
            "/api/v1/notifications/broadcast",
            PushHttp.json("{'template_id':'order-shipped','variables':[1]}"));

    assertThat(both.status()).isEqualTo(422);
    assertThat(both.json().get("error").get("message").asText())
        .startsWith("payload is given with template_id");
    assertThat(variablesAlone.status()).isEqualTo(422);
    assertThat(variablesAlone.json().get("error").get("message").asText())
        .isEqualTo("variables is given without template_id");
    assertThat(notAnObject.status()).isEqualTo(422);
    assertThat(notAnObject.json().get("error").get("message").asText())
        .isEqualTo("variables must be an object, got [1]");
  }

  @Test
  void aChangedTemplateIsWhatTheNextSendUses() {
    push.http.sendJson(
        "PUT",
        "/api/v1/templates/order-shipped",
        PushHttp.json("{'event_type':'order.sent','payload_template':'{{order_id}}'}"));

    push.notify(
        "send", "{'target_user_id':'alice','template_id':'order-shipped'," + VARIABLES + "}");

    assertThat(alice.awaitEvent("order.sent").get("payload").asText()).isEqualTo("ORD-001");
  }
}
