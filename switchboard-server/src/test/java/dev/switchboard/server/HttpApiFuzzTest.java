package dev.switchboard.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random and malformed requests to the notification and template API, over real HTTP, with a device
 * connected throughout. Whatever a caller sends, the server promises:
 *
 * <ul>
 *   <li>never a 5xx: what the API cannot serve is the caller's fault, a 4xx;
 *   <li>every 4xx carries the documented body {@code {"error": {code, message, details}}}: the
 *       upper-case code of its status (400 {@code BAD_REQUEST}, 422 {@code VALIDATION_ERROR}, ...),
 *       a message that names what was wrong (a field, a header, the body, the path), and {@code
 *       details} null or {@code {field, constraint}} naming the field the message names;
 *   <li>a send is accepted (2xx) or refused with nothing delivered: after every property the device
 *       has received exactly the notifications whose sends were answered 2xx saying they reached
 *       it, each once, and a well-formed send still reaches it;
 *   <li>a request no HTTP client would send (control characters or Latin-1 bytes in a header, a
 *       length that is no number, a query that is not URL encoding) is refused too, by the API with
 *       that body or by the HTTP codec before the API sees it, and never left unanswered;
 *   <li>nothing is logged at ERROR level, and {@code /health} is healthy at the end.
 * </ul>
 */
class HttpApiFuzzTest {

  private static final String USER = "alice";
  private static final String TEMPLATE = ApiRequests.TEMPLATE;
  private static final String API_KEY = PushFixture.API_KEY;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The ids of every notification a 2xx answer named, and of those it said reached the device. */
  private static final Set<String> accepted = ConcurrentHashMap.newKeySet();

  private static final Set<String> reachedTheDevice = ConcurrentHashMap.newKeySet();

  private static ErrorLog log;
  private static PushFixture push;
  private static PushDevice device;

  @BeforeContainer
  static void start() {
    log = ErrorLog.record();
    push = PushFixture.start(PushFixture.production());
    device = push.device(USER);
    device.subscribe("orders", "news");
    String template =
        "{'id':'"
            + TEMPLATE
            + "','name':'t','event_type':'from.template',"
            + "'payload_template':{'hello':'{{name}}'}}";
    assertThat(push.http.post("/api/v1/templates", PushHttp.json(template)).status())
        .isEqualTo(201);
  }

  @AfterProperty
  void theDeviceGotExactlyTheAcceptedNotificationsThatSaidTheyReachedIt() {
    record(push.sendTo(USER, "well.formed"));
    push.settle();
    List<String> received =
        device.notifications().stream()
            .filter(n -> !n.path("event_type").asText().startsWith(PushFixture.MARKER))
            .map(n -> n.path("id").asText())
            .toList();
    assertThat(received).as("notifications received").doesNotHaveDuplicates();
    assertThat(accepted).as("sends answered 2xx").containsAll(received);
    assertThat(received).as("received").containsExactlyInAnyOrderElementsOf(reachedTheDevice);
    assertThat(log.newErrors()).as("lines logged at ERROR level").isEmpty();
  }

  @AfterContainer
  static void stop() {
    try {
      assertThat(push.http.get("/health").json().path("status").asText()).isEqualTo("healthy");
    } finally {
      push.close();
      log.close();
    }
  }

  // ---- the promises

  @Property(tries = 1500)
  void aSendOrTemplateRequestIsAcceptedOrRefusedWithTheDocumentedError(
      @ForAll("wellAimed") ApiRequests.ApiRequest request) {
    assertAnsweredAsDocumented(request, exchange(request), request.path());
  }

  @Property(tries = 300)
  void anyMethodOnAnyPathIsAnsweredBelow500WithTheDocumentedError(
      @ForAll("odd") ApiRequests.ApiRequest request) {
    assertAnsweredAsDocumented(request, exchange(request), "any");
  }

  private static final String SEND =
      "POST /api/v1/notifications/send HTTP/1.1\r\nX-API-Key: " + API_KEY + "\r\n";
  private static final String BODY =
      "{\"target_user_id\":\"nobody\",\"event_type\":\"raw\",\"payload\":1}";
  private static final String LENGTH = "Content-Length: " + BODY.length() + "\r\n";

  @Example
  void aQueryThatIsNotUrlEncodingIs400NamingTheQuery() throws IOException {
    for (String path :
        List.of("/api/v1/channels?name=%zz", "/health?detailed=%", "/api/v1/templates?%%=1")) {
      RawAnswer answer = raw("GET " + path + " HTTP/1.1\r\nX-API-Key: " + API_KEY + "\r\n", "");
      assertThat(answer.status()).as(path).isEqualTo(400);
      assertDocumentedError(path, answer.status(), answer.body(), List.of("query string"));
    }
  }

  @Example
  void headerValuesOfLatin1BytesAreRefusedNamingTheHeader() throws IOException {
    Map<String, String> refusals =
        Map.of(
            SEND + "X-Tenant-ID: caf\u00e9\r\n",
            "X-Tenant-ID",
            SEND.replace(API_KEY, "\u00ff\u00fe"),
            "API key",
            SEND + "Idempotency-Key: \u00ff\u00fe\r\n",
            "idempotency");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      RawAnswer answer = raw(refusal.getKey() + LENGTH, BODY);
      assertThat(answer.status()).as(refusal.getKey()).isBetween(400, 499);
      assertDocumentedError(
          refusal.getKey(), answer.status(), answer.body(), List.of(refusal.getValue()));
    }
  }

  /**
   * These never reach the API: Netty's HTTP decoder refuses them, and the answer is still the API's
   * error body, then the connection closes.
   */
  @Example
  void aRequestTheHttpCodecCannotReadIsRefusedAtOnce() throws IOException {
    List<String> unreadable =
        List.of(
            SEND + "X-Note: a\u0001b\r\n" + LENGTH,
            SEND + "X-Note: a\u0000b\r\n" + LENGTH,
            SEND + "No colon here\r\n" + LENGTH,
            SEND + "Content-Length : " + BODY.length() + "\r\n",
            SEND + "Content-Length: abc\r\n",
            SEND + "Content-Length: -5\r\n",
            SEND + "Content-Length: 99999999999999999999999\r\n",
            SEND + LENGTH + "Content-Length: 3\r\n",
            SEND + LENGTH + "Transfer-Encoding: chunked\r\n",
            SEND + "Transfer-Encoding: gzip\r\n",
            "GET /health HTTP/1.1\r\nX-Long: " + "a".repeat(30_000) + "\r\n",
            "GET /" + "a".repeat(30_000) + " HTTP/1.1\r\n");
    for (String request : unreadable) {
      RawAnswer answer = raw(request, BODY);
      assertThat(answer.status()).as(request).isIn(400, 414, 431);
      assertDocumentedError(
          request,
          answer.status(),
          answer.body(),
          List.of("not valid HTTP/1.1", "request line is over", "header block is over"));
    }
    // A body that breaks its chunked framing midway: the exchange ends at once, answered or not.
    RawAnswer chunks = raw(SEND + "Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n");
    assertThat(chunks.status()).as("answer to a bad chunk").isIn(0, 400);
  }

  @Provide
  Arbitrary<ApiRequests.ApiRequest> wellAimed() {
    return ApiRequests.wellAimed();
  }

  @Provide
  Arbitrary<ApiRequests.ApiRequest> odd() {
    return ApiRequests.odd();
  }

  // ---- one exchange, and what the answer must be

  /** An answer; {@code cutWhileSending}: a 413 the client missed, still sending the body. */
  private record Answer(int status, byte[] body, boolean cutWhileSending) {
    Answer(int status, byte[] body) {
      this(status, body, false);
    }
  }

  private static Answer exchange(ApiRequests.ApiRequest request) {
    URI uri = URI.create("http://127.0.0.1:" + push.server.port() + request.path());
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(PushFixture.WAIT)
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (!request.headers().isEmpty()) {
      builder.headers(request.headers().toArray(String[]::new));
    }
    try {
      HttpResponse<byte[]> response =
          HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      // A body over the limit is refused before it is read and the connection closed: the client
      // may still be writing it, and miss the 413.
      assertThat(request.body().length)
          .as("no answer to %s: %s", request, e)
          .isGreaterThan(ApiRequests.MAX_BODY);
      return new Answer(413, new byte[0], true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertAnsweredAsDocumented(
      ApiRequests.ApiRequest request, Answer answer, String label) {
    int status = answer.status();
    Statistics.collect(label, status);
    String text = new String(answer.body(), UTF_8);
    assertThat(status).as("status of %s: %s", request, text).isBetween(200, 499);
    if (status >= 400 && !request.method().equals("HEAD") && !answer.cutWhileSending()) {
      assertDocumentedError(request.toString(), status, text, subjects(request));
    }
    if (status / 100 == 2 && text.startsWith("{")) {
      record(PushHttp.parse(text));
    }
  }

  /** What the message of a refusal may name: a field, a header, the body, the path, a thing. */
  private static List<String> subjects(ApiRequests.ApiRequest request) {
    List<String> subjects = new ArrayList<>(ApiRequests.FIELDS);
    subjects.addAll(List.of(SUBJECTS.split("\\|")));
    subjects.add(request.path().replaceAll("[?].*", ""));
    return subjects;
  }

  private static final String SUBJECTS =
      "body|JSON|API key|X-API-Key|X-Tenant-ID|idempotency|endpoint|template|channel|user|tenant";

  /** The code docs/push.md gives each status. */
  private static String code(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 401 -> "UNAUTHORIZED";
      case 403 -> "FORBIDDEN";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 409 -> "CONFLICT";
      case 413 -> "PAYLOAD_TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 422 -> "VALIDATION_ERROR";
      case 431 -> "HEADERS_TOO_LARGE";
      default -> "none documented for " + status;
    };
  }

  private static void assertDocumentedError(
      String request, int status, String text, List<String> subjects) {
    JsonNode answer = PushHttp.parse(text);
    String what = status + " " + text + " to " + request;
    assertThat(PushHttp.fieldNames(answer)).as(what).containsExactly("error");
    JsonNode error = answer.get("error");
    assertThat(PushHttp.fieldNames(error)).as(what).containsExactly("code", "message", "details");
    assertThat(error.get("code").asText()).as(what).isEqualTo(code(status));
    String message = error.get("message").asText();
    JsonNode details = error.get("details");
    if (!details.isNull()) {
      assertThat(PushHttp.fieldNames(details)).as(what).containsExactly("field", "constraint");
      assertThat(message).as(what).contains(details.get("field").asText());
    }
    String lower = message.toLowerCase(Locale.ROOT);
    assertThat(subjects)
        .as("what the message of %s names", what)
        .anyMatch(s -> lower.contains(s.toLowerCase(Locale.ROOT)));
  }

  /** Keeps the ids of an accepted send's notifications, and which of them reached the device. */
  private static void record(JsonNode answer) {
    List<JsonNode> sends = new ArrayList<>();
    if (answer.path("results").isArray()) {
      answer.get("results").forEach(sends::add); // a batch's items
    }
    if (answer.has("notification_id")) {
      sends.add(answer);
    }
    for (JsonNode send : sends) {
      String id = send.path("notification_id").asText("");
      if (id.isEmpty()) {
        continue; // a batch item that failed, or was skipped
      }
      accepted.add(id);
      if (send.path("delivered_to").asInt() > 0
          || send.path("total_delivered").asInt() > 0
          || send.path("results").path(USER).path("delivered").asBoolean()) {
        reachedTheDevice.add(id);
      }
    }
  }

  // ---- by hand, for what no HTTP client sends

  private record RawAnswer(int status, String body) {}

  /**
   * Writes {@code head} (request line and headers) and {@code body}; reads until the answer ends.
   * 0: closed without one.
   */
  private static RawAnswer raw(String head, String body) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", push.server.port()), 5000);
      socket.setSoTimeout((int) PushFixture.WAIT.toMillis());
      String request = head + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n" + body;
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        in.transferTo(answer);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer within " + PushFixture.WAIT + " to " + head, e);
      } catch (SocketException reset) {
        // what arrived before the reset is the answer
      }
      String text = answer.toString(UTF_8);
      if (text.isEmpty()) {
        return new RawAnswer(0, "");
      }
      assertThat(text).as("answer to %s", head).matches("(?s)HTTP/1\\.[01] \\d{3} .*");
      int end = text.indexOf("\r\n\r\n");
      return new RawAnswer(
          Integer.parseInt(text.substring(9, 12)), end < 0 ? "" : text.substring(end + 4));
    }
  }
}
