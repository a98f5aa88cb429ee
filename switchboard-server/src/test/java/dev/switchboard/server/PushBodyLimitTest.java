package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies over the limit (64 KiB; the batch path 1 MiB) get 413 before they are parsed: a body that
 * is not even JSON gets 413, not 400, and a declared Content-Length over the limit is answered
 * before the body arrives.
 */
class PushBodyLimitTest {

  private static final int LIMIT = 64 << 10;
  private static final int BATCH_LIMIT = 1 << 20;
  private static final String SEND = "/api/v1/notifications/send";
  private static final String BATCH = "/api/v1/notifications/batch";
  private static PushFixture push;

  @BeforeAll
  static void start() {
    push = PushFixture.start(PushFixture.production());
  }

  @AfterAll
  static void stop() {
    push.close();
  }

  private static byte[] notJson(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    return body;
  }

  private static void assertTooLarge(PushHttp.Response response, int limit) {
    assertThat(response.status()).as(response.toString()).isEqualTo(413);
    JsonNode error = response.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(error.get("message").asText()).contains(Integer.toString(limit));
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413BeforeItIsParsed() {
    assertTooLarge(push.http.post(SEND, notJson(LIMIT + 1)), LIMIT);
  }

  @Test
  void aBodyAtTheLimitIsParsed() {
    assertThat(push.http.post(SEND, notJson(LIMIT)).status())
        .as("read whole, then found not to be JSON")
        .isEqualTo(400);
  }

  @Test
  void aValidNotificationOverTheLimitIsRefusedToo() {
    String body =
        PushHttp.json(
            "{'target_user_id':'alice','event_type':'big','payload':'" + "y".repeat(LIMIT) + "'}");
    assertTooLarge(push.http.post(SEND, body), LIMIT);
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyArrives() throws Exception {
    // Ten bytes of a body said to be 10 MB: the answer must not wait for the rest.
    byte[] start = "{\"payload\"".getBytes(StandardCharsets.UTF_8);
    PushHttp.RawAnswer answer =
        push.http.rawExchange(
            "POST "
                + SEND
                + " HTTP/1.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10000000",
            start);
    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
    assertThat(answer.text()).contains("PAYLOAD_TOO_LARGE").contains(Integer.toString(LIMIT));
  }

  @Test
  void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
    // One chunk a little over the limit, and no last chunk: the server must answer without the end
    // of the body.
    byte[] chunk = notJson(LIMIT + 100);
    byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[head.length + chunk.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(chunk, 0, body, head.length, chunk.length);
    PushHttp.RawAnswer answer =
        push.http.rawExchange(
            "POST "
                + SEND
                + " HTTP/1.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked",
            body);
    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
  }

  @Test
  void aBatchUpTo1MiBIsAccepted() {
    // 100 items of about 10 KB: over the ordinary limit, under the batch one.
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      items
          .append(i == 0 ? "" : ",")
          .append("{'target':{'type':'user','value':'alice'},'event_type':'e")
          .append(i)
          .append("','payload':'")
          .append("z".repeat(10_000))
          .append("'}");
    }
    String body = PushHttp.json("{'notifications':[" + items + "]}");
    assertThat(body.length()).isBetween(LIMIT + 1, BATCH_LIMIT);

    PushHttp.Response response = push.http.post(BATCH, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().get("successful").asInt()).isEqualTo(100);
    assertTooLarge(push.http.post(SEND, body), LIMIT);
  }

  @Test
  void aBatchOver1MiBIsRefusedWith413BeforeItIsParsed() {
    assertTooLarge(push.http.post(BATCH, notJson(BATCH_LIMIT + 1)), BATCH_LIMIT);
  }

  @Test
  void theServerStillAnswersAfterRefusingLargeBodies() {
    assertTooLarge(push.http.post(SEND, notJson(LIMIT * 3)), LIMIT);
    assertThat(
            push.http
                .post(SEND, PushHttp.json("{'target_user_id':'a','event_type':'e','payload':1}"))
                .status())
        .isEqualTo(200);
  }
}
