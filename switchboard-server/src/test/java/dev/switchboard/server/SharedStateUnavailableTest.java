package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

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

  private final NotificationApi notifications = new NotificationApi(DOWN_BROKER, Clock.systemUTC());

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

    assertThatThrownBy(() -> notifications.handle("channel", body))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("unavailable");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the notification may not have reached every node: "
                          + "redis at 10.0.0.7:6379 did not answer within 250 ms");
            });
  }

  @Test
  void aBrokerThatThrowsAtOnceIsAnsweredAlike() {
    Broker throwing =
        (target, notification) -> {
          throw DOWN;
        };
    JsonNode body = body("{'target_user_id':'alice','event_type':'e','payload':{}}");

    assertThatThrownBy(() -> new NotificationApi(throwing, Clock.systemUTC()).handle("send", body))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void aBatchItemTheBrokerCannotCarryFailsAloneWithTheReason() {
    BatchApi batch = new BatchApi(notifications, 10);
    JsonNode body =
        body("{'notifications':[{'target':{'type':'broadcast'},'event_type':'e','payload':{}}]}");

    JsonNode answer = batch.handle(body);

    assertThat(answer.get("failed").asInt()).isOne();
    assertThat(answer.get("results").get(0).get("error").asText())
        .endsWith("did not answer within 250 ms");
  }
}
