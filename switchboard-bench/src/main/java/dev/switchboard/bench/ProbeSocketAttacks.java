package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.ProbeReport.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attacks on the HTTP side: headers or a body a byte a second (3), and bodies the server should
 * answer before reading them (4); sockets that send nothing (3) are {@link ProbeIdleSockets}. Each
 * ends within its time bound.
 */
final class ProbeSocketAttacks {

  private static final long GIB = 1L << 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * 3: request headers a byte a second, and a body a byte a second after whole headers, at once.
   */
  Outcome slowRequests(ProbeServer server, String headersFrom, String bodyFrom)
      throws InterruptedException {
    Dribble headers =
        new Dribble(
            server,
            headersFrom,
            "",
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: probe-slow-headers-"
                + "x".repeat(40)
                + "\r\n\r\n",
            Duration.ofSeconds(30));
    String body = " ".repeat(1000);
    String head =
        "POST /api/v1/notifications/send HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
            + server.apiKey()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n";
    Dribble bodies = new Dribble(server, bodyFrom, head, body, Duration.ofSeconds(45));
    Thread h = Thread.ofVirtual().start(headers);
    Thread b = Thread.ofVirtual().start(bodies);
    h.join();
    b.join();
    boolean quick =
        headers.status == 408
            && headers.answeredAfter < 12_000_000_000L
            && bodies.status == 408
            && bodies.answeredAfter < 32_000_000_000L;
    return Outcome.of(
        "slow headers: " + headers.describe() + "; slow body: " + bodies.describe(),
        "headers "
            + ProbeReport.millis(headers.answeredAfter)
            + ", body "
            + ProbeReport.millis(bodies.answeredAfter),
        quick,
        List.of(
            "slow headers: "
                + headers.sent
                + " bytes sent, one a second from the connect; expected 408 at"
                + " ~10 s",
            "slow body: whole headers (Content-Length 1000), then "
                + bodies.sent
                + " body bytes, one a"
                + " second; time from the end of the headers; expected 408 at ~30 s"));
  }

  /**
   * Sends {@code head} at once, then {@code slow} a byte a second, until the server answers or
   * closes.
   */
  private static final class Dribble implements Runnable {
    private final ProbeServer server;
    private final String from;
    private final String head;
    private final String slow;
    private final Duration bound;
    volatile int status = -1;
    volatile long answeredAfter = -1;
    volatile String how = "";
    volatile int sent;

    Dribble(ProbeServer server, String from, String head, String slow, Duration bound) {
      this.server = server;
      this.from = from;
      this.head = head;
      this.slow = slow;
      this.bound = bound;
    }

    @Override
    public void run() {
      try (ProbeClient c = ProbeClient.open(server.port(), from)) {
        c.readTimeout(bound);
        c.send(head);
        long start = System.nanoTime();
        AtomicBoolean answered = new AtomicBoolean();
        Thread reader =
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        status = c.readAnswer().status();
                        how = "HTTP " + status;
                      } catch (IOException e) {
                        how = ProbeClient.ended(e);
                      }
                      answeredAfter = System.nanoTime() - start;
                      answered.set(true);
                    });
        byte[] bytes = slow.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0;
            i < bytes.length && !answered.get() && System.nanoTime() - start < bound.toNanos();
            i++) {
          c.send(new byte[] {bytes[i]});
          sent++;
          Thread.sleep(1000);
        }
        reader.join(bound.toMillis());
      } catch (IOException e) {
        if (how.isEmpty()) {
          how = "write failed: " + ProbeClient.ended(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String describe() {
      return (how.isEmpty() ? "nothing" : how)
          + (answeredAfter < 0 ? "" : " after " + ProbeReport.millis(answeredAfter));
    }
  }

  /**
   * What a 10 GiB POST got: the answer, {@code answerNanos} after the request began ({@code
   * answeredAt} on the nanoTime clock); how the reader saw the connection end ({@code end}: the
   * server's FIN, or a reset); when the writer could write no more ({@code writerEndedAt}, -1 if it
   * still could at the bound) and why; bytes sent.
   */
  record BigBody(
      int status,
      String error,
      long answerNanos,
      long answeredAt,
      ProbeClient.Ending end,
      long writerEndedAt,
      Optional<String> writeEnded,
      long sent) {

    /**
     * From the answer to the end of the connection: when the client could neither read nor write
     * any more.
     */
    long closedAfterAnswer() {
      return writerEndedAt < 0 ? -1 : Math.max(end.nanos(), writerEndedAt) - answeredAt;
    }

    String describe() {
      String closed =
          writerEndedAt < 0
              ? "the client could still send at the bound"
              : "the client's writes failed ("
                  + writeEnded.orElse("?")
                  + ") "
                  + ProbeReport.millis(writerEndedAt - answeredAt)
                  + " after the answer";
      return (status < 0
              ? "no answer (" + error + ")"
              : "HTTP " + status + " " + error + " after " + ProbeReport.millis(answerNanos))
          + "; reader saw "
          + end.how()
          + " after "
          + ProbeReport.millis(end.nanos() - answeredAt)
          + "; "
          + closed;
    }
  }

  /**
   * 4: {@code POST /api/v1/notifications/broadcast} declaring a 10 GiB body, streamed as fast as
   * the connection takes it, until the server answers and ends the connection (bounded at 20 s).
   */
  BigBody bigBody(ProbeServer server, String from, String apiKey)
      throws IOException, InterruptedException {
    return bigBody(server, from, apiKey, () -> {});
  }

  /**
   * {@link #bigBody}, running {@code answered} as soon as the answer (or the failure to get one) is
   * in.
   */
  BigBody bigBody(ProbeServer server, String from, String apiKey, Runnable answered)
      throws IOException, InterruptedException {
    try (ProbeClient c = ProbeClient.open(server.port(), from)) {
      c.readTimeout(Duration.ofSeconds(20));
      String head =
          c.head(
              "POST",
              "/api/v1/notifications/broadcast",
              List.of("X-API-Key: " + apiKey, "Content-Type: application/json"),
              10 * GIB);
      long start = System.nanoTime();
      c.send(head);
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) ' ');
      AtomicLong writerEnd = new AtomicLong(-1);
      ProbeFrameAttacks.Writer writer =
          ProbeFrameAttacks.Writer.repeat(c, chunk, 10 * GIB, writerEnd);
      int status = -1;
      String error;
      long answeredAt;
      try {
        ProbeClient.Answer answer = c.readAnswer();
        answeredAt = System.nanoTime();
        answered.run();
        status = answer.status();
        try {
          error = JSON.readTree(answer.body()).path("error").path("code").asText();
        } catch (IOException e) {
          error = "(body not JSON)";
        }
        error += answer.header("connection").map(v -> ", Connection: " + v).orElse("");
      } catch (IOException e) {
        answeredAt = System.nanoTime();
        answered.run();
        error = ProbeClient.ended(e);
      }
      ProbeClient.Ending end = c.awaitEnd(Duration.ofSeconds(15));
      writer.thread.join(
          10_000); // a half-closed connection still takes writes until the server cuts it
      boolean writing = writer.thread.isAlive();
      c.disconnect();
      writer.join();
      return new BigBody(
          status,
          error,
          answeredAt - start,
          answeredAt,
          end,
          writing ? -1 : writerEnd.get(),
          writing ? Optional.empty() : writer.failure.get(),
          writer.sent.get());
    }
  }

  /**
   * 4: the outcome of {@link #bigBody}, expecting {@code expected} within 1 s and the end within 3
   * s after it.
   */
  static Outcome bigBodyOutcome(BigBody r, int expected, List<String> more) {
    List<String> notes = new ArrayList<>(more);
    notes.add(
        "the client sent "
            + r.sent() / (1024 * 1024)
            + " MiB of the body ("
            + r.sent()
            + " bytes) before"
            + " its writes failed: "
            + r.writeEnded().orElse("they had not, at the bound"));
    notes.add(
        "expected HTTP "
            + expected
            + ", then the connection closed within ~1-2 s"
            + (r.status() == expected ? "" : " — DIFFERS: got " + r.status()));
    boolean quick =
        r.status() == expected
            && r.answerNanos() < 1_000_000_000L
            && r.closedAfterAnswer() >= 0
            && r.closedAfterAnswer() < 3_000_000_000L;
    return Outcome.of(r.describe(), ProbeReport.millis(r.answerNanos()), quick, notes);
  }

  /**
   * 4: the 10 GiB POST with the right key once the key's rate budget is spent: another connection
   * keeps spending it with pipelined {@code GET /stats} meanwhile. Tried up to three times (a token
   * may come back in between).
   */
  Outcome rateLimited(ProbeServer server, String from, String spendFrom)
      throws IOException, InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong granted = new AtomicLong();
    AtomicLong limited = new AtomicLong();
    Thread spender = spend(server, spendFrom, stop, granted, limited);
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (limited.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      BigBody r = null;
      int attempts = 0;
      while (attempts < 3 && (r == null || r.status() != 429)) {
        attempts++;
        // The spender stops as soon as the answer is in: it exists only to keep the bucket empty
        // meanwhile.
        r = bigBody(server, from, server.apiKey(), () -> stop.set(true));
        if (r.status() != 429 && attempts < 3) {
          spender.join(15_000);
          stop.set(false);
          long seen = limited.get();
          spender = spend(server, spendFrom, stop, granted, limited);
          while (limited.get() == seen
              && spender.isAlive()
              && System.nanoTime() < deadline + 10_000_000_000L) {
            Thread.sleep(5);
          }
        }
      }
      return bigBodyOutcome(
          r,
          429,
          List.of(
              "right key; its budget spent from another connection by pipelined GET"
                  + " /stats ("
                  + granted.get()
                  + " answered, "
                  + limited.get()
                  + " refused 429 by the end); attempts: "
                  + attempts));
    } finally {
      stop.set(true);
      spender.join(15_000);
    }
  }

  /**
   * Pipelined {@code GET /stats} with the right key, 25 at a time, until {@code stop}; counts 200s
   * and 429s.
   */
  private static Thread spend(
      ProbeServer server, String from, AtomicBoolean stop, AtomicLong granted, AtomicLong limited) {
    return Thread.ofPlatform()
        .daemon()
        .name("probe-spender")
        .start(
            () -> {
              String one =
                  "GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                      + server.apiKey()
                      + "\r\n\r\n";
              byte[] batch = one.repeat(25).getBytes(StandardCharsets.ISO_8859_1);
              while (!stop.get()) {
                try (ProbeClient c = ProbeClient.open(server.port(), from)) {
                  c.readTimeout(Duration.ofSeconds(10));
                  while (!stop.get()) {
                    c.send(batch);
                    for (int i = 0; i < 25; i++) {
                      (c.readAnswer().status() == 429 ? limited : granted).incrementAndGet();
                    }
                  }
                } catch (IOException e) {
                  // reconnect
                }
              }
            });
  }
}
