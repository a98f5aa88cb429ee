package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.RegistryLimits;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection limits refuse the upgrade (503 when the server is full, 429 when the user is) and
 * leave no state; a place freed by a disconnect can be taken again. Limits here: 3 connections in
 * total, 2 per user.
 */
class PushLimitsTest {

  private PushFixture push;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production().registryLimits(new RegistryLimits(3, 2, 50)));
  }

  @AfterEach
  void close() {
    push.close();
  }

  private int upgrade(String user) {
    return push.refusal("token=" + PushTokens.valid(user), Map.of());
  }

  @Test
  void aUserOverTheirLimitIsRefusedWith429AndKeepsTheirDevices() {
    PushDevice phone = push.device("alice");
    PushDevice laptop = push.device("alice");

    assertThat(upgrade("alice")).isEqualTo(429);

    assertThat(push.server.registry().connectionCount()).isEqualTo(2);
    JsonNode stats = push.stats();
    assertThat(stats.get("connections").asInt()).isEqualTo(2);
    assertThat(stats.get("connections_total").get("refused").asLong()).isEqualTo(1);
    assertThat(
            push.notify("send", "{'target_user_id':'alice','event_type':'e','payload':{}}")
                .get("delivered_to")
                .asInt())
        .isEqualTo(2);
    assertThat(phone.awaitEvent("e")).isNotNull();
    assertThat(laptop.awaitEvent("e")).isNotNull();
  }

  @Test
  void anotherUserStillFitsWhenOneIsAtTheirLimit() {
    push.device("alice");
    push.device("alice");

    PushDevice bob = push.device("bob");
    assertThat(bob.call("ping", PushHttp.parse("[]")).get("result").asText()).isEqualTo("pong");
  }

  @Test
  void aFullServerRefusesWith503AndKeepsNoState() {
    push.device("alice");
    push.device("bob");
    push.device("carol");

    assertThat(upgrade("dave")).isEqualTo(503);
    assertThat(upgrade("dave")).isEqualTo(503);

    assertThat(push.server.registry().connectionCount()).isEqualTo(3);
    assertThat(push.http.get("/api/v1/users/dave/subscriptions").status()).isEqualTo(404);
    JsonNode stats = push.stats();
    assertThat(stats.get("connections").asInt()).isEqualTo(3);
    assertThat(stats.get("users").asInt()).isEqualTo(3);
    assertThat(stats.get("connections_total").get("refused").asLong()).isEqualTo(2);
  }

  @Test
  void aDisconnectFreesItsPlaceOnTheServer() {
    push.device("alice");
    PushDevice bob = push.device("bob");
    push.device("carol");
    assertThat(upgrade("dave")).isEqualTo(503);

    bob.close();
    push.awaitConnections(2);

    PushDevice dave = push.device("dave");
    push.notify("send", "{'target_user_id':'dave','event_type':'welcome','payload':{}}");
    assertThat(dave.awaitEvent("welcome")).isNotNull();
  }

  @Test
  void aDisconnectFreesItsPlaceForItsUser() {
    PushDevice phone = push.device("alice");
    push.device("alice");
    assertThat(upgrade("alice")).isEqualTo(429);

    phone.close();
    push.awaitConnections(1);

    PushDevice tablet = push.device("alice");
    assertThat(
            push.notify("send", "{'target_user_id':'alice','event_type':'e','payload':{}}")
                .get("delivered_to")
                .asInt())
        .isEqualTo(2);
    assertThat(tablet.awaitEvent("e")).isNotNull();
  }

  @Test
  void refusedUpgradesNeverUseUpPlaces() {
    for (int i = 0; i < 10; i++) {
      assertThat(push.refusal("token=forged", Map.of())).isEqualTo(401);
    }
    push.device("alice");
    push.device("alice");
    push.device("bob");
    assertThat(push.server.registry().connectionCount()).isEqualTo(3);
  }
}
