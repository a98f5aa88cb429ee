package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Templates;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A shared engine that cannot be reached makes the HTTP API answer 503 {@code unavailable} with its
 * reason (the in-memory engines never fail; these stand-ins do). No socket: the API's parts alone.
 */
class SharedStateUnavailableTest {

  private static final SharedStateException DOWN =
      new SharedStateException("redis at 10.0.0.7:6379 did not answer within 250 ms");

  /** A broker whose every publish fails as a shared one does when its store is down. */
  private static final Broker DOWN_BROKER =
      (target, notification) -> CompletableFuture.failedFuture(DOWN);

  private final NotificationApi notifications = NotificationApis.over(DOWN_BROKER);

  private static JsonNode body(String singleQuoted) {
    try {
      return Json.mapper().readTree(PushHttp.json(singleQuoted));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aSendTheBrokerCannotCarryIs503Unavailable() {
    JsonNode body = body("{'channel':'news','event_type':'e','payload':{}}");

    assertThatThrownBy(
            () -> notifications.handle("channel", body, Optional.empty(), Tenant.DEFAULT))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("UNAVAILABLE");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the notification could not be made durable, try again: "
                          + "redis at 10.0.0.7:6379 did not answer within 250 ms");
              assertThat(e.retryAfterSeconds()).hasValue(1);
            });
  }

  @Test
  void aBrokerThatThrowsAtOnceIsAnsweredAlike() {
    Broker throwing =
        (target, notification) -> {
          throw DOWN;
        };
    JsonNode body = body("{'target_user_id':'alice','event_type':'e','payload':{}}");

    assertThatThrownBy(
            () ->
                NotificationApis.over(throwing)
                    .handle("send", body, Optional.empty(), Tenant.DEFAULT))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  /** A presence whose store is down. */
  private static final Presence DOWN_PRESENCE =
      new Presence() {
        @Override
        public SortedMap<String, Integer> channels() {
          throw DOWN;
        }

        @Override
        public OptionalInt subscribers(String channel) {
          throw DOWN;
        }

        @Override
        public Optional<Channel> channel(String channel) {
          throw DOWN;
        }

        @Override
        public Optional<User> user(String userId) {
          throw DOWN;
        }

        @Override
        public java.util.SortedSet<String> tenants() {
          throw DOWN;
        }

        @Override
        public Counts counts(Tenant tenant) {
          return counts();
        }

        @Override
        public Counts counts() {
          throw DOWN;
        }
      };

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/channels",
        "/api/v1/channels/news",
        "/api/v1/users/alice/subscriptions",
        "/stats",
        "/api/v1/stats",
        "/api/v1/cluster/status",
        "/api/v1/cluster/users/alice",
        "/api/v1/tenants",
        "/api/v1/tenants/acme"
      })
  void aPresenceThatCannotBeReadIs503Unavailable(String path) {
    ApiRoutes routes =
        new ApiRoutes(
            DOWN_PRESENCE,
            notifications,
            new BatchApi(notifications, 10),
            new TemplatesApi(Templates.inMemory(10), Clock.systemUTC()),
            () -> {
              throw new AssertionError("the counters are not read when presence is down");
            },
            () -> 7L);

    assertThatThrownBy(
            () ->
                routes.get(
                    Endpoint.match(path).orElseThrow(), Map.of(), Tenant.DEFAULT, Optional.empty()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("UNAVAILABLE");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "who is connected cannot be told now: "
                          + "redis at 10.0.0.7:6379 did not answer within 250 ms");
            });
    assertThat(
            routes
                .get(
                    Endpoint.match("/health").orElseThrow(),
                    Map.of(),
                    Tenant.DEFAULT,
                    Optional.empty())
                .get("status")
                .asText())
        .isEqualTo("healthy");
    StatsReport.Answer detailed = routes.health(false, Map.of("detailed", "true"));
    assertThat(detailed.status()).isEqualTo(200);
    assertThat(detailed.body().get("status").asText()).isEqualTo("degraded");
    assertThat(detailed.body().at("/components/presence/status").asText()).isEqualTo("unavailable");
  }

  @Test
  void aBatchItemTheBrokerCannotCarryFailsAloneWithTheReason() {
    BatchApi batch = new BatchApi(notifications, 10);
    JsonNode body =
        body("{'notifications':[{'target':{'type':'broadcast'},'event_type':'e','payload':{}}]}");

    JsonNode answer = batch.handle(body, Optional.empty(), Tenant.DEFAULT);

    assertThat(answer.get("failed").asInt()).isOne();
    assertThat(answer.get("results").get(0).get("error").asText())
        .endsWith("did not answer within 250 ms");
  }

  @Test
  void anAtomicBatchStopsAtTheFirstItemTheBrokerCannotCarry() {
    BatchApi batch = new BatchApi(notifications, 10);
    JsonNode body =
        body(
            "{'atomic':true,'notifications':["
                + "{'target':{'type':'broadcast'},'event_type':'e','payload':{}},"
                + "{'target':{'type':'user','id':'alice'},'event_type':'e','payload':{}}]}");

    JsonNode answer = batch.handle(body, Optional.empty(), Tenant.DEFAULT);

    assertThat(answer.get("failed").asInt()).isEqualTo(2);
    assertThat(answer.get("results").get(0).get("error").asText())
        .endsWith("did not answer within 250 ms");
    assertThat(answer.get("results").get(1).get("error").asText())
        .isEqualTo("not sent: item 0 failed and atomic is set");
  }
}
