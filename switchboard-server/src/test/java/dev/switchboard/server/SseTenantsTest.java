package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SSE streams of a tenant: its channels and its inbox alone, resumed by the names it knows. */
class SseTenantsTest {

  private SseFixture sse;

  @BeforeEach
  void start() {
    sse = SseFixture.start(PushFixture.production());
  }

  @AfterEach
  void close() {
    sse.close();
  }

  private SseStream acmeStream(String query, Map<String, String> headers) {
    String token = "token=" + PushTokens.valid("alice", "acme");
    return sse.open("acme:alice", sse.uri(token + "&" + query), headers);
  }

  private void asAcme(String action, String singleQuotedJson) {
    PushHttp.Response answer =
        sse.http.post(
            "/api/v1/notifications/" + action,
            PushHttp.json(singleQuotedJson),
            "X-Tenant-ID",
            "acme");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
  }

  @Test
  void aTenantsStreamGetsItsTenantsSendsAloneAndResumesByChannelName() {
    SseStream mine = acmeStream("channels=orders", Map.of());
    SseStream plain = sse.stream("alice", "channels=orders");

    asAcme("channel", "{'channel':'orders','event_type':'o1','payload':{}}");
    asAcme("send", "{'target_user_id':'alice','event_type':'u1','payload':{}}");
    JsonNode o1 = mine.awaitNotification("o1");
    assertThat(o1.get("channel").asText()).isEqualTo("orders");
    mine.awaitNotification("u1");
    String last = mine.lastEventId();
    assertThat(last).doesNotContain("acme");
    sse.notify("broadcast", "{'event_type':'mark','payload':null}");
    plain.awaitNotification("mark");
    assertThat(plain.eventTypes()).containsExactly("mark");

    sse.disconnect(mine);
    asAcme("channel", "{'channel':'orders','event_type':'o2','payload':{}}");
    SseStream again = acmeStream("channels=orders", Map.of("Last-Event-ID", last));
    assertThat(again.eventTypes("orders")).containsExactly("o2");
    assertThat(again.lastEventId())
        .startsWith("~:")
        .contains(",orders:2:")
        .doesNotContain("orders:1");
    assertThat(again.events("error")).isEmpty();
  }
}
