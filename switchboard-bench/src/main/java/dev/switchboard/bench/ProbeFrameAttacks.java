package dev.switchboard.bench;

import dev.switchboard.bench.ProbeReport.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.zip.Deflater;

/**
 * Attacks made of WebSocket frames and tokens: the permessage-deflate bomb (1), the ping flood (2),
 * hostile identities (6), frames RFC 6455 forbids (8) and very long valid tokens (8). Each opens
 * its own connections from its own loopback address and ends within its time bound.
 */
final class ProbeFrameAttacks {

  /** Zeros the bomb inflates to. */
  static final long BOMB_INFLATED = 1L << 30;

  private static final int PINGS = 5_000_000;
  private static final Duration FLOOD_BOUND = Duration.ofSeconds(60);

  private byte[] bomb;

  /**
   * A deflate stream (raw, level 9) of {@link #BOMB_INFLATED} zeros, built a MiB at a time and
   * ended with a sync flush whose trailing {@code 00 00 FF FF} is dropped, as permessage-deflate
   * sends it. About 1 MB.
   */
  byte[] bomb() {
    if (bomb == null) {
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
      byte[] zeros = new byte[1 << 20];
      byte[] buffer = new byte[64 * 1024];
      ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
      for (long done = 0; done < BOMB_INFLATED; done += zeros.length) {
        deflater.setInput(zeros);
        while (!deflater.needsInput()) {
          out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
        }
      }
      int n;
      do {
        n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        out.write(buffer, 0, n);
      } while (n == buffer.length);
      deflater.end();
      byte[] all = out.toByteArray();
      boolean tail =
          all.length > 4
              && all[all.length - 4] == 0
              && all[all.length - 3] == 0
              && all[all.length - 2] == (byte) 0xFF
              && all[all.length - 1] == (byte) 0xFF;
      bomb = tail ? Arrays.copyOf(all, all.length - 4) : all;
    }
    return bomb;
  }

  /**
   * 1: asks for permessage-deflate, then sends the bomb as one compressed text frame (RSV1, FIN).
   * {@code expectedCode} is 1002 where compression is off (RSV1 without an extension) and 1009
   * where it is on.
   */
  Outcome bomb(ProbeServer server, String from, int expectedCode)
      throws IOException, InterruptedException {
    byte[] payload = bomb();
    ProbeTokens tokens = new ProbeTokens(server.secret());
    List<String> notes = new ArrayList<>();
    try (ProbeClient c = ProbeClient.open(server.port(), from)) {
      c.readTimeout(Duration.ofSeconds(10));
      ProbeClient.Answer up =
          c.upgrade(
              "/ws?token=" + tokens.forUser("bomb-" + expectedCode),
              List.of("Sec-WebSocket-Extensions: permessage-deflate"));
      if (up.status() != 101) {
        return Outcome.of(
            "upgrade answered " + up.status(), "-", false, List.of("upgrade body: " + up.text()));
      }
      String extension = up.header("sec-websocket-extensions").orElse("");
      notes.add(
          "asked for permessage-deflate; the server's 101 answered Sec-WebSocket-Extensions: "
              + (extension.isEmpty() ? "(none): not negotiated" : extension));
      byte[] frame = ProbeClient.frame(ProbeClient.TEXT, true, ProbeClient.RSV1, payload);
      notes.add(
          "sent one text frame, RSV1 + FIN, "
              + payload.length
              + " bytes of deflate data inflating to "
              + BOMB_INFLATED
              + " zeros ("
              + frame.length
              + " bytes on the wire)");
      long start = System.nanoTime();
      Writer writer = Writer.start(c, frame);
      ProbeClient.Ending end = c.awaitClose(Duration.ofSeconds(30));
      ProbeClient.Ending tcp = end.close().isPresent() ? c.awaitEnd(Duration.ofSeconds(15)) : end;
      c.disconnect();
      writer.join();
      notes.add(
          "the client wrote "
              + writer.sent.get()
              + " of "
              + frame.length
              + " bytes"
              + writer.failure.get().map(f -> " (its write ended: " + f + ")").orElse(""));
      int code = end.close().map(ProbeClient.Frame::closeCode).orElse(-1);
      boolean expected = code == expectedCode && extension.isEmpty() == (expectedCode == 1002);
      notes.add(
          "expected: "
              + (expectedCode == 1002 ? "not negotiated, close 1002" : "negotiated, close 1009")
              + (expected ? " (as seen)" : " — DIFFERS"));
      String did =
          "extension "
              + (extension.isEmpty() ? "not negotiated" : "negotiated")
              + "; "
              + end.describe()
              + "; then "
              + tcp.how()
              + " after "
              + ProbeReport.millis(tcp.nanos() - start);
      return Outcome.of(
          did,
          ProbeReport.millis(end.nanos() - start),
          expected && end.nanos() - start < 2_000_000_000L,
          notes);
    }
  }

  /**
   * 2: pings of 125 bytes as fast as possible on a connection with a 4 KiB receive buffer that
   * never reads, until {@link #PINGS} are sent or the server ends the connection; {@code /stats}
   * tells when it was cut off.
   */
  Outcome pingFlood(ProbeServer server, String from) throws IOException, InterruptedException {
    ProbeTokens tokens = new ProbeTokens(server.secret());
    long slowBefore = server.slowConsumers();
    ProbeClient c = ProbeClient.open(server.port(), from, 4096);
    try {
      c.readTimeout(Duration.ofSeconds(10));
      ProbeClient.Answer up = c.upgrade("/ws?token=" + tokens.forUser("flood-1"), List.of());
      if (up.status() != 101) {
        return Outcome.of("upgrade answered " + up.status(), "-", false, List.of());
      }
      int port = c.localPort();
      byte[] ping = ProbeClient.frame(ProbeClient.PING, true, 0, new byte[125]);
      int perWrite = 256;
      byte[] batch = new byte[ping.length * perWrite];
      for (int i = 0; i < perWrite; i++) {
        System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
      }
      long start = System.nanoTime();
      long deadline = start + FLOOD_BOUND.toNanos();
      AtomicLong writerEnd = new AtomicLong(-1);
      Writer writer = Writer.repeat(c, batch, (long) PINGS * ping.length, writerEnd);
      long cutAt = -1;
      long goneAt = -1;
      while (System.nanoTime() < deadline) {
        long now = System.nanoTime();
        if (cutAt < 0 && server.slowConsumers() > slowBefore) {
          cutAt = now;
        }
        if (goneAt < 0 && server.serverSocketState(port).isEmpty()) {
          goneAt = now;
        }
        boolean writing = writer.thread.isAlive();
        if ((goneAt >= 0 && !writing)
            || (cutAt >= 0 && now - cutAt > 20_000_000_000L)
            || (cutAt < 0 && !writing && now - writerEnd.get() > 15_000_000_000L)) {
          break;
        }
        Thread.sleep(100);
      }
      boolean boundReached = writer.thread.isAlive();
      c.disconnect(); // ends a writer still blocked at the time bound
      writer.join();
      if (boundReached) {
        writer.failure.set(Optional.empty());
      }
      long pings = writer.sent.get() / ping.length;
      List<String> notes = new ArrayList<>();
      notes.add(
          "the client sent "
              + pings
              + " pings ("
              + writer.sent.get() / (1024 * 1024)
              + " MiB) in "
              + ProbeReport.millis(
                  (writerEnd.get() > 0 ? writerEnd.get() : System.nanoTime()) - start)
              + "; its writes ended: "
              + writer.failure.get().orElse("not at all (bound reached)"));
      notes.add(
          "/stats slow_consumers_disconnected rose "
              + (cutAt < 0 ? "never" : "after " + ProbeReport.millis(cutAt - start))
              + "; the server's socket left /proc/net/tcp "
              + (goneAt < 0
                  ? "never (within the bound)"
                  : "after " + ProbeReport.millis(goneAt - start)));
      List<String> log = server.outputMatching(Pattern.compile("user flood-1 .*(closing|cutting)"));
      log.forEach(l -> notes.add("server log: " + l));
      boolean logged = log.stream().anyMatch(l -> l.contains("closing with 4008"));
      String did =
          (cutAt < 0
                  ? "not cut off"
                  : "cut off as a slow consumer" + (logged ? " (log: closing with 4008)" : ""))
              + "; server socket "
              + (goneAt < 0 ? "still open at the bound" : "gone")
              + "; the client's writes: "
              + writer.failure.get().map(f -> "ended (" + f + ")").orElse("never failed");
      String time =
          cutAt < 0
              ? "-"
              : "cut "
                  + ProbeReport.millis(cutAt - start)
                  + ", socket gone "
                  + (goneAt < 0 ? "-" : ProbeReport.millis(goneAt - start));
      boolean quick =
          cutAt >= 0
              && cutAt - start < 5_000_000_000L
              && goneAt >= 0
              && goneAt - cutAt < 12_000_000_000L;
      return Outcome.of(did, time, quick, notes);
    } finally {
      c.close();
    }
  }

  /** 6: validly signed tokens whose {@code sub} is 300 characters, or the number 42. */
  Outcome identities(ProbeServer server, String from) throws IOException {
    ProbeTokens tokens = new ProbeTokens(server.secret());
    long exp = ProbeTokens.nowSeconds() + 3600;
    String[][] cases = {
      {
        "sub of 300 characters",
        tokens.sign("{\"sub\":\"" + "u".repeat(300) + "\",\"exp\":" + exp + "}")
      },
      {"sub 42 (a number)", tokens.sign("{\"sub\":42,\"exp\":" + exp + "}")}
    };
    List<String> did = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean quick = true;
    long slowest = 0;
    for (String[] c : cases) {
      Upgrade u = upgrade(server, from, "/ws?token=" + c[1], List.of());
      did.add(c[0] + ": " + u.describe());
      notes.add(c[0] + ": " + u.describe() + (u.body().isEmpty() ? "" : ", body " + u.body()));
      quick &= u.status() == 401 && u.nanos() < 1_000_000_000L;
      slowest = Math.max(slowest, u.nanos());
    }
    return Outcome.of(String.join("; ", did), "≤ " + ProbeReport.millis(slowest), quick, notes);
  }

  /**
   * 8: one frame RFC 6455 forbids (a close code of 5000, RSV2 without an extension); expects close
   * 1002.
   */
  Outcome forbiddenFrame(ProbeServer server, String from, String user, byte[] frame)
      throws IOException {
    try (ProbeClient c = ProbeClient.open(server.port(), from)) {
      c.readTimeout(Duration.ofSeconds(10));
      ProbeClient.Answer up =
          c.upgrade("/ws?token=" + new ProbeTokens(server.secret()).forUser(user), List.of());
      if (up.status() != 101) {
        return Outcome.of("upgrade answered " + up.status(), "-", false, List.of());
      }
      long start = System.nanoTime();
      c.send(frame);
      ProbeClient.Ending end = c.awaitClose(Duration.ofSeconds(10));
      ProbeClient.Ending tcp = end.close().isPresent() ? c.awaitEnd(Duration.ofSeconds(15)) : end;
      int code = end.close().map(ProbeClient.Frame::closeCode).orElse(-1);
      return Outcome.of(
          end.describe() + "; " + tcp.how() + " after " + ProbeReport.millis(tcp.nanos() - start),
          ProbeReport.millis(end.nanos() - start),
          code == 1002 && end.nanos() - start < 1_000_000_000L,
          List.of(
              "expected close 1002" + (code == 1002 ? " (as seen)" : " — DIFFERS"),
              "the client never answers"
                  + " the server's close frame, so the end of TCP is the server's own doing"));
    }
  }

  /**
   * 8: a valid token of 16,000 characters in {@code ?token=}, then in {@code Authorization:
   * Bearer}; expects 101.
   */
  Outcome longTokens(ProbeServer server, String fromQuery, String fromHeader) throws IOException {
    String token = new ProbeTokens(server.secret()).ofLength("long-1", 16_000);
    Upgrade query = upgrade(server, fromQuery, "/ws?token=" + token, List.of());
    Upgrade header = upgrade(server, fromHeader, "/ws", List.of("Authorization: Bearer " + token));
    boolean quick = query.status() == 101 && header.status() == 101;
    List<String> notes =
        new ArrayList<>(
            List.of(
                "token of "
                    + token.length()
                    + " characters, validly signed;"
                    + " expected 101 both ways"
                    + (quick ? " (as seen)" : " — DIFFERS")));
    if (!query.body().isEmpty() || !header.body().isEmpty()) {
      notes.add(
          "answer bodies: ?token= \"" + query.body() + "\", Bearer \"" + header.body() + "\"");
    }
    return Outcome.of(
        "?token=: " + query.describe() + "; Bearer: " + header.describe(),
        ProbeReport.millis(Math.max(query.nanos(), header.nanos())),
        quick,
        notes);
  }

  /** An upgrade attempt's answer and how long it took. */
  record Upgrade(int status, long nanos, String body) {
    String describe() {
      return (status < 0 ? "no answer" : "HTTP " + status) + " in " + ProbeReport.millis(nanos);
    }
  }

  private static Upgrade upgrade(
      ProbeServer server, String from, String target, List<String> headers) throws IOException {
    try (ProbeClient c = ProbeClient.open(server.port(), from)) {
      c.readTimeout(Duration.ofSeconds(15));
      long start = System.nanoTime();
      try {
        ProbeClient.Answer a = c.upgrade(target, headers);
        long took = System.nanoTime() - start;
        if (a.status() == 101) {
          c.send(ProbeClient.closeFrame(1000));
        }
        String body = a.text();
        return new Upgrade(
            a.status(), took, body.length() > 160 ? body.substring(0, 160) + "…" : body);
      } catch (SocketTimeoutException e) {
        return new Upgrade(-1, System.nanoTime() - start, "no answer within 15 s");
      } catch (IOException e) {
        return new Upgrade(-1, System.nanoTime() - start, ProbeClient.ended(e));
      }
    }
  }

  /**
   * Writes on its own thread while the attack reads; remembers how far it got and why it stopped.
   */
  static final class Writer {
    final AtomicLong sent = new AtomicLong();
    final AtomicReference<Optional<String>> failure = new AtomicReference<>(Optional.empty());
    Thread thread;

    /** Writes {@code bytes} once, in 64 KiB slices. */
    static Writer start(ProbeClient c, byte[] bytes) {
      Writer w = new Writer();
      w.thread =
          Thread.ofPlatform()
              .daemon()
              .name("probe-writer")
              .start(
                  () -> {
                    try {
                      OutputStream out = c.socket().getOutputStream();
                      for (int off = 0; off < bytes.length; off += 64 * 1024) {
                        int n = Math.min(64 * 1024, bytes.length - off);
                        out.write(bytes, off, n);
                        w.sent.addAndGet(n);
                      }
                      out.flush();
                    } catch (IOException e) {
                      w.failure.set(Optional.of(ProbeClient.ended(e)));
                    }
                  });
      return w;
    }

    /** Writes {@code batch} again and again until {@code total} bytes went out or a write fails. */
    static Writer repeat(ProbeClient c, byte[] batch, long total, AtomicLong endedAt) {
      Writer w = new Writer();
      w.thread =
          Thread.ofPlatform()
              .daemon()
              .name("probe-writer")
              .start(
                  () -> {
                    try {
                      OutputStream out = c.socket().getOutputStream();
                      while (w.sent.get() < total) {
                        out.write(batch);
                        w.sent.addAndGet(batch.length);
                      }
                    } catch (IOException e) {
                      w.failure.set(Optional.of(ProbeClient.ended(e)));
                    } finally {
                      endedAt.set(System.nanoTime());
                    }
                  });
      return w;
    }

    void join() throws InterruptedException {
      thread.join(10_000);
    }
  }
}
