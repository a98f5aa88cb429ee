package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests the API cannot serve get {@code {"error": {code, message, details}}} with Ara's
 * upper-case codes: 400 when the body is not a JSON object, 422 naming the field that is wrong (in
 * {@code details {field, constraint}} too), 404 for unknown paths. Also CORS for the configured
 * origin only; 405 with {@code Allow} for a method a path does not take; {@code OPTIONS} answered
 * without a key.
 */
class PushHttpErrorsTest {

  private static final String ORIGIN = "https://app.example.test";
  private static PushFixture push;

  @BeforeAll
  static void start() {
    push =
        PushFixture.start(
            PushFixture.production().http(new HttpLimits(64 << 10, 1 << 20, 100, List.of(ORIGIN))));
  }

  @AfterAll
  static void stop() {
    push.close();
  }

  private static JsonNode error(PushHttp.Response response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    JsonNode body = response.json();
    assertThat(PushHttp.fieldNames(body)).containsExactly("error");
    assertThat(PushHttp.fieldNames(body.get("error")))
        .containsExactly("code", "message", "details");
    assertThat(body.get("error").get("code").asText()).isEqualTo(code);
    return body.get("error");
  }

  @Test
  void malformedJsonIsABadRequest() {
    JsonNode error =
        error(
            push.http.post("/api/v1/notifications/send", "{\"target_user_id\": "),
            400,
            "BAD_REQUEST");
    assertThat(error.get("message").asText()).contains("not valid JSON");
  }

  @Test
  void aBodyThatIsNotAnObjectIsABadRequest() {
    error(push.http.post("/api/v1/notifications/broadcast", "[1,2]"), 400, "BAD_REQUEST");
    error(push.http.post("/api/v1/notifications/broadcast", ""), 400, "BAD_REQUEST");
  }

  @ParameterizedTest(name = "{0} gives 422 naming {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      missing event_type     | send      | event_type     | {'target_user_id':'alice','payload':{}}
      blank event_type       | send      | event_type     | {'target_user_id':'alice','event_type':' ','payload':{}}
      missing payload        | send      | payload        | {'target_user_id':'alice','event_type':'e'}
      missing target_user_id | send      | target_user_id | {'event_type':'e','payload':{}}
      numeric target_user_id | send      | target_user_id | {'target_user_id':42,'event_type':'e','payload':{}}
      empty target_user_ids  | send-to-users | target_user_ids | {'target_user_ids':[],'event_type':'e','payload':{}}
      bad channel            | channel   | no spaces!     | {'channel':'no spaces!','event_type':'e','payload':{}}
      bad channel in a list  | channels  | bad/name       | {'channels':['ok','bad/name'],'event_type':'e','payload':{}}
      bad priority           | broadcast | priority       | {'event_type':'e','payload':{},'priority':'Urgent'}
      ttl 0                  | broadcast | ttl            | {'event_type':'e','payload':{},'ttl':0}
      negative ttl           | broadcast | ttl            | {'event_type':'e','payload':{},'ttl':-5}
      fractional ttl         | broadcast | ttl            | {'event_type':'e','payload':{},'ttl':1.5}
      long correlation_id    | broadcast | correlation_id | {'event_type':'e','payload':{},'correlation_id':'%s'}
      """)
  void anInvalidFieldIsUnprocessableAndNamed(
      String problem, String action, String named, String body) {
    String json = PushHttp.json(body.formatted("c".repeat(257)));
    JsonNode error =
        error(push.http.post("/api/v1/notifications/" + action, json), 422, "VALIDATION_ERROR");
    assertThat(error.get("message").asText()).contains(named);
  }

  @ParameterizedTest(name = "{0}: the details name {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      missing event_type | send      | event_type      | is required                                          | {'target_user_id':'alice','payload':{}}
      ttl 0              | broadcast | ttl             | must be a positive whole number of seconds, got 0    | {'event_type':'e','payload':{},'ttl':0}
      numeric user       | send      | target_user_id  | must be a string, got 42                             | {'target_user_id':42,'event_type':'e','payload':{}}
      empty user list    | send-to-users | target_user_ids | must be a non-empty array of strings, got []     | {'target_user_ids':[],'event_type':'e','payload':{}}
      """)
  void theFieldAtFaultIsInTheDetails(
      String problem, String action, String field, String constraint, String body) {
    JsonNode error =
        error(
            push.http.post("/api/v1/notifications/" + action, PushHttp.json(body)),
            422,
            "VALIDATION_ERROR");
    assertThat(error.get("details"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json("{'field':'" + field + "','constraint':'" + constraint + "'}")));
    assertThat(error.get("message").asText()).isEqualTo(field + " " + constraint);
  }

  @Test
  void aBadChannelNameBlamesTheChannelField() {
    JsonNode error =
        error(
            push.http.post(
                "/api/v1/notifications/channel",
                PushHttp.json("{'channel':'no spaces!','event_type':'e','payload':{}}")),
            422,
            "VALIDATION_ERROR");
    assertThat(error.get("details").get("field").asText()).isEqualTo("channel");
    assertThat(error.get("message").asText()).contains("no spaces!");
  }

  @Test
  void anInvalidRequestSendsNothing() {
    PushDevice device = push.device("alice");
    push.http.post(
        "/api/v1/notifications/send",
        PushHttp.json(
            "{'target_user_id':'alice','event_type':'e','payload':{},'priority':'Urgent'}"));
    push.settle();
    assertThat(device.takeEvents()).isEmpty();
    device.close();
    push.awaitConnections(0);
  }

  @Test
  void unknownPathsAreNotFound() {
    assertThat(error(push.http.get("/api/v1/nothing"), 404, "NOT_FOUND").get("message").asText())
        .contains("/api/v1/nothing");
    error(push.http.post("/api/v1/notifications/shout", "{}"), 404, "NOT_FOUND");
    error(push.http.post("/api/v1/notifications/send/extra", "{}"), 404, "NOT_FOUND");
    error(push.http.send("DELETE", "/api/v1/nothing"), 404, "NOT_FOUND");
  }

  @ParameterizedTest(name = "{0} {1} is 405, Allow: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      DELETE | /api/v1/channels                     | GET, HEAD, OPTIONS
      PUT    | /api/v1/channels/news                | GET, HEAD, OPTIONS
      PATCH  | /api/v1/users/alice/subscriptions    | GET, HEAD, OPTIONS
      POST   | /stats                               | GET, HEAD, OPTIONS
      POST   | /api/v1/stats/acks                   | GET, HEAD, OPTIONS
      GET    | /api/v1/notifications/send           | POST, OPTIONS
      DELETE | /api/v1/notifications/batch          | POST, OPTIONS
      POST   | /ws                                  | GET, HEAD, OPTIONS
      """)
  void aWrongMethodIs405NamingTheMethodsThePathTakes(String method, String path, String allow) {
    PushHttp.Response response = push.http.send(method, path);
    JsonNode error = error(response, 405, "METHOD_NOT_ALLOWED");
    assertThat(response.header("Allow")).hasValue(allow);
    assertThat(error.get("message").asText()).contains(path).contains(method);
  }

  @Test
  void aPostToHealthIs405WithoutAnApiKey() {
    PushHttp keyless = new PushHttp(push.server.port(), java.util.Optional.empty());
    PushHttp.Response response = keyless.post("/health", "{}");
    error(response, 405, "METHOD_NOT_ALLOWED");
    assertThat(response.header("Allow")).hasValue("GET, HEAD, OPTIONS");
  }

  @Test
  void optionsWithoutAnOriginIsAnsweredWithAllowWithoutAKey() {
    PushHttp keyless = new PushHttp(push.server.port(), java.util.Optional.empty());
    PushHttp.Response response = keyless.send("OPTIONS", "/api/v1/notifications/send");
    assertThat(response.status()).isEqualTo(204);
    assertThat(response.header("Allow")).hasValue("POST, OPTIONS");
    error(keyless.send("OPTIONS", "/api/v1/nothing"), 404, "NOT_FOUND");
  }

  @Test
  void theConfiguredOriginMayCallTheApi() {
    PushHttp.Response response = push.http.get("/health", "Origin", ORIGIN);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    assertThat(response.header("Vary")).hasValue("Origin");
  }

  @Test
  void aPreflightFromTheConfiguredOriginIsAnsweredWith204WithoutAKey() {
    PushHttp keyless = new PushHttp(push.server.port(), java.util.Optional.empty());
    PushHttp.Response response =
        keyless.send(
            "OPTIONS",
            "/api/v1/notifications/send",
            "Origin",
            ORIGIN,
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "content-type,x-api-key");

    assertThat(response.status()).isEqualTo(204);
    assertThat(response.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    assertThat(response.header("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
    assertThat(response.header("Access-Control-Allow-Headers").orElseThrow())
        .containsIgnoringCase("X-API-Key")
        .as("a retried send's key, and an EventSource reconnect's position")
        .containsIgnoringCase("Idempotency-Key")
        .containsIgnoringCase("Last-Event-ID");
  }

  @Test
  void anotherOriginGetsNoCorsHeadersAndItsPreflightNoAuthError() {
    PushHttp.Response get = push.http.get("/health", "Origin", "https://evil.example.test");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.header("Access-Control-Allow-Origin")).isEmpty();

    PushHttp keyless = new PushHttp(push.server.port(), java.util.Optional.empty());
    PushHttp.Response preflight =
        keyless.send(
            "OPTIONS",
            "/api/v1/notifications/send",
            "Origin",
            "https://evil.example.test",
            "Access-Control-Request-Method",
            "POST");
    assertThat(preflight.status()).as("a plain OPTIONS answer, not 401").isEqualTo(204);
    assertThat(preflight.header("Allow")).hasValue("POST, OPTIONS");
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();
    assertThat(preflight.header("Access-Control-Allow-Methods")).isEmpty();
  }
}
