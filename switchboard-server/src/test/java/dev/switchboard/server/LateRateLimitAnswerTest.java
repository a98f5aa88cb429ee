package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.RateLimitStore;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.gateway.Templates;
import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.BulkheadConfig;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rate limit store that answers after the request arrived, as a shared one does: the request
 * waits, paused, and is then answered as if the answer had been there at once, its whole body read.
 * The HTTP API runs alone on Vert.x here, its store answering only when the test says.
 */
class LateRateLimitAnswerTest {

  private static final long WAIT_SECONDS = 5;

  /** One question to the store, answered when the test completes it. */
  private record Question(String key, CompletableFuture<RateLimiter.Result> answer) {}

  private final BlockingQueue<Question> questions = new LinkedBlockingQueue<>();
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer server;

  /** In memory underneath, but the answer waits in {@link #questions}. */
  private RateLimitStore late(String name, RateLimiterConfig limit) {
    RateLimitStore store = RateLimitStore.Factory.inMemory().create(name, limit);
    return new RateLimitStore() {
      @Override
      public RateLimiterConfig limit() {
        return store.limit();
      }

      @Override
      public CompletionStage<RateLimiter.Result> tryAcquire(String key) {
        CompletableFuture<RateLimiter.Result> answer = new CompletableFuture<>();
        questions.add(new Question(key, answer));
        return answer.thenCompose(ignored -> store.tryAcquire(key));
      }
    };
  }

  @BeforeEach
  void start() throws Exception {
    ServerConfig config =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .rateLimits(new RateLimits(1, 1, 0))
            .build();
    Registry registry = new Registry(RegistryLimits.DEFAULTS);
    NotificationApi notifications = NotificationApis.over(NotificationApis.inMemory(registry));
    ApiRoutes routes =
        new ApiRoutes(
            Presence.inMemory(registry),
            notifications,
            new BatchApi(notifications, 10),
            new TemplatesApi(Templates.inMemory(10), Clock.systemUTC()),
            () -> {
              throw new AssertionError("no test asks for /stats");
            },
            () -> 0L);
    HttpApi api =
        new HttpApi(
            config,
            routes,
            handlers,
            () -> false,
            new RateLimitGate(config.rateLimits(), this::late, new ServerCounters()),
            Bulkhead.of("test", BulkheadConfig.builder().maxConcurrentCalls(4).build()),
            HttpApi.Observed.off());
    server =
        vertx
            .createHttpServer()
            .requestHandler(api::handle)
            .listen(0, "127.0.0.1")
            .await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    handlers.close();
    client.close();
  }

  private CompletableFuture<HttpResponse<String>> broadcast(String payload) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.actualPort() + "/api/v1/notifications/broadcast"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"event_type\":\"late\",\"payload\":\"" + payload + "\"}"))
            .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private Question nextQuestion() throws InterruptedException {
    Question question = questions.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(question).as("the store was asked").isNotNull();
    return question;
  }

  @Test
  void aRequestWaitsForALateGrantWithItsWholeBody() throws Exception {
    // Larger than one read, so that chunks come while the request waits.
    CompletableFuture<HttpResponse<String>> sent = broadcast("x".repeat(60_000));
    Question question = nextQuestion();
    assertThat(question.key()).isEqualTo("ip:127.0.0.1");
    assertThat(sent).isNotDone();

    question.answer().complete(null);

    HttpResponse<String> response = sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = TestServer.json(response.body());
    assertThat(body.get("delivered_to").asInt()).isZero();
    assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
  }

  @Test
  void aLateRefusalIsA429WithWhenToRetry() throws Exception {
    CompletableFuture<HttpResponse<String>> first = broadcast("one");
    nextQuestion().answer().complete(null);
    assertThat(first.get(WAIT_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

    CompletableFuture<HttpResponse<String>> second = broadcast("two");
    nextQuestion().answer().complete(null);

    HttpResponse<String> refused = second.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(TestServer.json(refused.body()).get("error").get("code").asText())
        .isEqualTo("RATE_LIMIT_EXCEEDED");
  }
}
