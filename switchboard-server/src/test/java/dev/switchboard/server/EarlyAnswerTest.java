package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body was read (401, 413, 429) ends the exchange: the answer arrives,
 * and the connection is closed without the server reading the rest of the body, however much more
 * the client sends.
 */
class EarlyAnswerTest {

  /** Far more than the server could take in the time of a test if it kept reading. */
  private static final long DECLARED = 10L << 30;

  private PushFixture push;

  @BeforeEach
  void start() {
    push = PushFixture.start(PushFixture.production().rateLimits(new RateLimits(1, 1, 0)));
  }

  @AfterEach
  void stop() {
    push.close();
  }

  /**
   * What a client that keeps sending a body after {@code head} gets back, and how much it managed
   * to send.
   */
  private record Outcome(String answer, long bytesSent, boolean closed) {}

  private Outcome sendEndlessBody(String head) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", push.server.port()), (int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          (head
                  + "Host: x\r\nContent-Type: application/json\r\nContent-Length: "
                  + DECLARED
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      AtomicLong sent = new AtomicLong();
      Thread sender =
          Thread.ofVirtual()
              .start(
                  () -> {
                    byte[] chunk = new byte[64 << 10];
                    try {
                      while (sent.get() < DECLARED) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                      }
                    } catch (IOException closed) {
                      // the server ended the exchange
                    }
                  });
      socket.setSoTimeout((int) WAIT.toMillis());
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      boolean closed;
      try {
        for (int n; (n = in.read()) >= 0; ) {
          answer.write(n);
        }
        closed = true;
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (SocketException reset) {
        closed = true;
      }
      sender.join(WAIT.toMillis());
      return new Outcome(answer.toString(StandardCharsets.UTF_8), sent.get(), closed);
    }
  }

  private static void assertEndedEarly(Outcome outcome, int status) {
    assertThat(outcome.answer())
        .startsWith("HTTP/1.1 " + status + " ")
        .containsIgnoringCase("connection: close");
    assertThat(outcome.closed()).as("the connection is closed").isTrue();
    // Socket buffers on both sides hold a few MiB at most; the rest was never read.
    assertThat(outcome.bytesSent()).as("bytes the client got to send").isLessThan(64L << 20);
  }

  @Test
  void a413EndsTheExchangeWithoutReadingTheBody() throws Exception {
    assertEndedEarly(
        sendEndlessBody(
            "POST /api/v1/notifications/broadcast HTTP/1.1\r\nX-API-Key: "
                + PushFixture.API_KEY
                + "\r\n"),
        413);
  }

  @Test
  void a401EndsTheExchangeWithoutReadingTheBody() throws Exception {
    assertEndedEarly(
        sendEndlessBody("POST /api/v1/notifications/broadcast HTTP/1.1\r\nX-API-Key: wrong\r\n"),
        401);
  }

  @Test
  void a429EndsTheExchangeWithoutReadingTheBody() throws Exception {
    String small =
        "POST /api/v1/notifications/broadcast HTTP/1.1\r\nX-API-Key: "
            + PushFixture.API_KEY
            + "\r\n";
    push.notify("broadcast", "{'event_type':'spends-the-burst','payload':null}");
    assertEndedEarly(sendEndlessBody(small), 429);
  }
}
