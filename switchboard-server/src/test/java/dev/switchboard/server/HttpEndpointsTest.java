package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

  private static TestServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.port() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReportsStatusVersionAndUptime() throws Exception {
    HttpResponse<String> response = get("/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode health = TestServer.json(response.body());
    assertThat(health.get("status").asText()).isEqualTo("healthy");
    assertThat(health.get("version").asText()).isNotBlank().isNotEqualTo("unknown");
    assertThat(health.get("uptime_seconds").isIntegralNumber()).isTrue();
  }

  @Test
  void unknownPathsAreNotFound() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void webSocketsOnlyOpenOnSlashWs() {
    URI wrong = URI.create("ws://127.0.0.1:" + server.server.port() + "/other");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> dev.switchboard.client.SwitchboardClient.connect(wrong))
        .isInstanceOf(dev.switchboard.client.ConnectFailedException.class)
        .hasMessageContaining(wrong.toString());
  }
}
