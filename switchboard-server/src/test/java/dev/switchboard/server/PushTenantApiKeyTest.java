package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKey;
import dev.switchboard.gateway.Tenant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An API key bound to a tenant ({@code tenants.api_keys}) reaches that tenant alone. */
class PushTenantApiKeyTest {

  private static final String ACME_KEY = "acme-bound-api-key-0123456789";

  private PushFixture push;
  private PushHttp acmeKey;
  private PushDevice acme;
  private PushDevice globex;

  private static final String DEFAULT_KEY = "default-bound-api-key-0123456789";

  @BeforeEach
  void start() {
    push =
        PushFixture.start(
            PushFixture.production()
                .tenantApiKey(new Tenant("acme"), ApiKey.of(ACME_KEY))
                .tenantApiKey(Tenant.DEFAULT, ApiKey.of(DEFAULT_KEY)));
    acmeKey = new PushHttp(push.server.port(), Optional.of(ACME_KEY));
    acme = push.tenantDevice("acme", "alice");
    globex = push.tenantDevice("globex", "alice");
  }

  @AfterEach
  void close() {
    push.close();
  }

  @Test
  void aKeyBoundToTheDefaultTenantCountsThatTenantAloneNotTheNode() {
    PushHttp defaultKey = new PushHttp(push.server.port(), Optional.of(DEFAULT_KEY));
    acmeKey.post(
        "/api/v1/notifications/broadcast", PushHttp.json("{'event_type':'hi','payload':{}}"));
    acme.awaitEvent("hi");

    JsonNode bound = defaultKey.ok("/api/v1/stats");
    JsonNode operator = push.http.ok("/api/v1/stats");

    assertThat(bound.at("/messages/sent_today").asLong()).as("acme's send").isZero();
    assertThat(bound.has("history")).as("the node's delivery store").isFalse();
    assertThat(operator.at("/messages/sent_today").asLong()).isPositive();
    assertThat(operator.has("history")).isTrue();
  }

  @Test
  void aBoundKeyWithoutTenantHeaderAddressesItsTenant() {
    PushHttp.Response answer =
        acmeKey.post(
            "/api/v1/notifications/broadcast", PushHttp.json("{'event_type':'hi','payload':{}}"));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    push.settle();
    assertThat(acme.takeEvents()).containsExactly("hi");
    assertThat(globex.takeEvents()).isEmpty();
  }

  @Test
  void aBoundKeyReachingAnotherTenantIs403AndSendsNothing() {
    PushHttp.Response answer =
        acmeKey.post(
            "/api/v1/notifications/broadcast",
            PushHttp.json("{'event_type':'hi','payload':{}}"),
            "X-Tenant-ID",
            "globex");
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.json().at("/error/code").asText()).isEqualTo("FORBIDDEN");
    assertThat(answer.json().at("/error/message").asText()).contains("acme").contains("globex");
    assertThat(acmeKey.get("/api/v1/channels", "X-Tenant-ID", "default").status()).isEqualTo(403);
    assertThat(acmeKey.get("/api/v1/tenants/globex").status()).isEqualTo(403);
    push.settle();
    assertThat(globex.takeEvents()).isEmpty();
  }

  @Test
  void aBoundKeyListsItsTenantAloneAndTheServerKeyListsEvery() {
    JsonNode mine = acmeKey.ok("/api/v1/tenants");
    assertThat(mine.get("tenants").findValuesAsText("tenant_id")).containsExactly("acme");
    assertThat(acmeKey.ok("/api/v1/tenants/acme").get("connections").asInt()).isOne();
    assertThat(push.http.ok("/api/v1/tenants").get("tenants").findValuesAsText("tenant_id"))
        .containsExactly("acme", "default", "globex");
  }

  @Test
  void theServerKeyStillReachesEveryTenant() {
    PushHttp.Response answer =
        push.http.post(
            "/api/v1/notifications/broadcast",
            PushHttp.json("{'event_type':'hi','payload':{}}"),
            "X-Tenant-ID",
            "globex");
    assertThat(answer.status()).isEqualTo(200);
    push.settle();
    assertThat(globex.takeEvents()).containsExactly("hi");
    assertThat(acme.takeEvents()).isEmpty();
  }

  @Test
  void anUnknownKeyIsStill401() {
    PushHttp wrong = new PushHttp(push.server.port(), Optional.of(ACME_KEY + "x"));
    assertThat(wrong.get("/api/v1/channels").status()).isEqualTo(401);
  }
}
