package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKey;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The admin page's API ({@code /admin/api/...}): off in production unless {@code admin.token} is
 * set, then only with the token; open in development; and what it reads and does against a real
 * device.
 */
class AdminApiTest {

  private static final String TOKEN = "admin-token-of-the-tests-0123";

  @Test
  void productionWithoutAdminTokenHasNoAdminPage() {
    try (PushFixture push = PushFixture.start(PushFixture.production())) {
      assertThat(push.http.get("/admin").status()).isEqualTo(404);
      assertThat(push.http.get("/admin/api/overview").status()).isEqualTo(404);
      assertThat(push.http.get("/admin/api/overview", AdminAccess.HEADER, TOKEN).status())
          .isEqualTo(404);
    }
  }

  @Test
  void productionWithAdminTokenServesThePageAndAsksForTheToken() {
    try (PushFixture push =
        PushFixture.start(PushFixture.production().adminToken(ApiKey.of(TOKEN)))) {
      PushHttp.Response page = push.http.get("/admin");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).contains("html"));
      assertThat(page.body()).contains("Admin token");
      assertThat(push.http.get("/admin/admin.js").status()).isEqualTo(200);

      assertThat(push.http.get("/admin/api/overview").status()).isEqualTo(401);
      assertThat(push.http.get("/admin/api/overview", AdminAccess.HEADER, TOKEN + "x").status())
          .isEqualTo(401);
      assertThat(
              push.http
                  .get("/admin/api/overview", "Authorization", "Bearer " + TOKEN.substring(1))
                  .status())
          .isEqualTo(401);
      assertThat(push.http.post("/admin/api/send", "{}").status()).isEqualTo(401);

      assertThat(push.http.get("/admin/api/overview", AdminAccess.HEADER, TOKEN).status())
          .isEqualTo(200);
      assertThat(push.http.get("/admin/api/overview", "Authorization", "Bearer " + TOKEN).status())
          .isEqualTo(200);
    }
  }

  @Test
  void developmentNeedsNoToken() {
    try (PushFixture push = PushFixture.start(PushFixture.development())) {
      assertThat(push.http.get("/admin").status()).isEqualTo(200);
      assertThat(push.http.get("/admin/api/overview").status()).isEqualTo(200);
    }
  }

  @Test
  void aShortAdminTokenIsRefusedWithoutShowingIt() {
    assertThat(AdminAccess.token(TOKEN).matches(TOKEN)).isTrue();
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> AdminAccess.token("short-secret"))
        .withMessage("admin.token is 12 characters; at least 16 are required");
  }

  @Test
  void overviewSendHistoryAndDisconnectWorkOnARealDevice() {
    try (PushFixture push = PushFixture.start(PushFixture.development())) {
      PushDevice device = push.anonymousDevice();
      device.subscribe("orders");
      JsonNode overview = overview(push);
      assertThat(overview.at("/stats/connections").asInt()).isEqualTo(1);
      JsonNode listed = overview.at("/devices/0");
      assertThat(listed.get("transport").asText()).isEqualTo("ws");
      assertThat(listed.get("tenant").asText()).isEqualTo("default");
      assertThat(listed.get("user_id").asText()).startsWith("anonymous-");
      assertThat(overview.at("/users/0/devices").asInt()).isEqualTo(1);
      assertThat(overview.at("/channels/0/name").asText()).isEqualTo("orders");
      assertThat(overview.at("/channels/0/subscribers").asInt()).isEqualTo(1);
      assertThat(names(overview.get("tenants"), "tenant_id")).contains("default");

      PushHttp.Response sent =
          push.http.post(
              "/admin/api/send",
              PushHttp.json("{'channel':'orders','event_type':'admin.test','payload':{'n':7}}"));
      assertThat(sent.status()).as("%s", sent).isEqualTo(200);
      assertThat(sent.json().get("delivered_to").asInt()).isEqualTo(1);
      assertThat(device.awaitEvent("admin.test").at("/payload/n").asInt()).isEqualTo(7);
      PushHttp.Response invalid =
          push.http.post("/admin/api/send", PushHttp.json("{'channel':'orders','payload':{}}"));
      assertThat(invalid.status()).as("the HTTP API's checks: %s", invalid).isEqualTo(422);

      JsonNode history = push.http.get("/admin/api/history?channel=orders").json();
      assertThat(history.get("offset").asLong()).isEqualTo(1);
      assertThat(history.at("/entries/0/message/params/event_type").asText())
          .isEqualTo("admin.test");
      assertThat(history.at("/entries/0/notification_id").asText())
          .isEqualTo(sent.json().get("notification_id").asText());

      String id = listed.get("id").asText();
      assertThat(push.http.post("/admin/api/devices/" + id + "/disconnect", "").status())
          .isEqualTo(200);
      PushDevice.Closed closed = device.awaitClosed(Duration.ofSeconds(5));
      assertThat(closed.code()).isEqualTo(AdminApi.DISCONNECTED);
      assertThat(closed.reason()).isEqualTo("disconnected by an operator");
      await().atMost(Duration.ofSeconds(5)).until(() -> overview(push).get("devices").isEmpty());
      assertThat(push.http.post("/admin/api/devices/" + id + "/disconnect", "").status())
          .isEqualTo(404);
    }
  }

  @Test
  void historyOfAChannelThatOutgrewItsLimitShowsTheLastKept() {
    try (PushFixture push =
        PushFixture.start(
            PushFixture.development()
                .deliveryLimits(
                    PushFixture.deliveryLimits(
                        3, 100, Duration.ofMinutes(5), Duration.ofSeconds(30))))) {
      for (int i = 1; i <= 5; i++) {
        push.sendToChannel("news", "e" + i);
      }
      JsonNode history = push.http.get("/admin/api/history?channel=news").json();
      assertThat(history.get("offset").asLong()).isEqualTo(5);
      assertThat(
              StreamSupport.stream(history.get("entries").spliterator(), false)
                  .map(e -> e.at("/message/params/event_type").asText())
                  .toList())
          .isEqualTo(List.of("e3", "e4", "e5"));
      assertThat(push.http.get("/admin/api/history?channel=no%20such").status()).isEqualTo(400);
    }
  }

  @Test
  void aHistoryQueryThatIsNotUrlEncodingIs400() throws java.io.IOException {
    try (PushFixture push = PushFixture.start(PushFixture.development())) {
      PushHttp.RawAnswer answer =
          push.http.rawExchange("GET /admin/api/history?channel=%zz HTTP/1.1", new byte[0]);
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.text()).contains("the query string is not valid URL encoding");
    }
  }

  private static JsonNode overview(PushFixture push) {
    PushHttp.Response answer = push.http.get("/admin/api/overview");
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    return answer.json();
  }

  private static List<String> names(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get(field).asText())
        .toList();
  }
}
