package dev.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/**
 * The backends of a run: HTTP senders calling the notification API at a set rate, open loop (a send
 * starts when it is due whatever the ones before it are doing, so a slow server shows as latency,
 * not as a lower rate). Of every ten sends seven go to a connected device's user ({@code POST
 * /api/v1/notifications/send}) and three to a channel ({@code POST /api/v1/notifications/channel});
 * each payload carries {@code sent_nanos}, the moment the send started, from which the devices
 * measure delivery latency. The server's {@code delivered_to} answers add up to the deliveries the
 * devices must see.
 */
final class HttpSenders implements AutoCloseable {

  /** Sends in flight at most; one due beyond it counts as failed (the server is not keeping up). */
  static final int MAX_IN_FLIGHT = 512;

  private static final int CONNECTIONS = 32;
  private static final long TICK_MILLIS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoadTarget target;
  private final DeviceCrowd crowd;
  private final Recorder latency;
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong expected = new AtomicLong();
  private final DeviceCrowd.Problems problems = new DeviceCrowd.Problems();
  private volatile double rate;
  private double owed;
  private long lastTick;
  private long timer = -1;

  HttpSenders(LoadTarget target, DeviceCrowd crowd, Recorder latency) {
    this.target = target;
    this.crowd = crowd;
    this.latency = latency;
    this.vertx = Vertx.vertx();
    HttpClientOptions options =
        new HttpClientOptions()
            .setKeepAlive(true)
            .setSsl("https".equals(target.base().getScheme()))
            .setConnectTimeout(5_000);
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(CONNECTIONS));
  }

  /**
   * Before the run, not measured: {@code count} sends to a channel nobody follows, {@link
   * #CONNECTIONS} at a time, so that the client's connections are open and both JVMs have compiled
   * their paths; a cold start would otherwise fill the first second's percentiles.
   */
  void warmUp(int count, String channel) throws InterruptedException {
    Semaphore slots = new Semaphore(CONNECTIONS);
    for (int i = 0; i < count; i++) {
      slots.acquire();
      RequestOptions request = post("/api/v1/notifications/channel");
      client
          .request(request)
          .compose(r -> r.send(Buffer.buffer("{\"channel\":\"" + channel + "\"," + rest(0))))
          .compose(r -> r.body())
          .onComplete(r -> slots.release());
    }
    slots.acquire(CONNECTIONS);
    latency.reset();
  }

  /** Starts sending at {@code sendsPerSecond} (0 until {@link #rate(double)} says otherwise). */
  void start() {
    lastTick = System.nanoTime();
    timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
  }

  /** The rate from now on. */
  void rate(double sendsPerSecond) {
    rate = sendsPerSecond;
  }

  /** Stops starting sends; those in flight go on. */
  void stop() {
    rate = 0;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Waits up to {@code millis} for the sends in flight to be answered; true when they were. */
  boolean awaitAnswered(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return inFlight.get() == 0;
  }

  long sent() {
    return sent.get();
  }

  long failed() {
    return failed.get();
  }

  long expected() {
    return expected.get();
  }

  List<String> problems() {
    return problems.summary();
  }

  @Override
  public void close() {
    stop();
    client.close();
    vertx.close();
  }

  /** On the Vert.x event loop: starts the sends that fell due since the last tick. */
  private void tick() {
    long now = System.nanoTime();
    owed += rate * (now - lastTick) / 1e9;
    lastTick = now;
    owed = Math.min(owed, Math.max(1, rate)); // a stalled loop does not make up a whole burst
    while (owed >= 1) {
      owed -= 1;
      send();
    }
  }

  private void send() {
    sent.incrementAndGet();
    if (inFlight.get() >= MAX_IN_FLIGHT) {
      failed.incrementAndGet();
      problems.add("not sent: " + MAX_IN_FLIGHT + " sends already waiting for an answer");
      return;
    }
    long start = System.nanoTime();
    Optional<String> user =
        ThreadLocalRandom.current().nextInt(10) < 7 ? crowd.randomUser() : Optional.empty();
    String path;
    String body;
    if (user.isPresent()) {
      path = "/api/v1/notifications/send";
      body = "{\"target_user_id\":\"" + user.get() + "\"," + rest(start);
    } else {
      path = "/api/v1/notifications/channel";
      body = "{\"channel\":\"" + crowd.randomChannel() + "\"," + rest(start);
    }
    RequestOptions request = post(path);
    inFlight.incrementAndGet();
    client
        .request(request)
        .compose(r -> r.send(Buffer.buffer(body)))
        .compose(r -> r.body().map(b -> answered(start, r.statusCode(), b)))
        .onFailure(e -> done(() -> "send failed: " + e.getMessage()));
  }

  private RequestOptions post(String path) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(target.resolve(path).toString())
            .putHeader("content-type", "application/json");
    target.apiKey().ifPresent(k -> request.putHeader("x-api-key", k));
    return request;
  }

  private static String rest(long sentNanos) {
    return "\"event_type\":\"load\",\"payload\":{\"sent_nanos\":" + sentNanos + "}}";
  }

  private Void answered(long start, int status, Buffer body) {
    latency.recordValue(Math.max(0, (System.nanoTime() - start) / 1_000));
    if (status / 100 != 2) {
      String text = body.toString();
      done(() -> "HTTP " + status + ": " + text.substring(0, Math.min(160, text.length())));
      return null;
    }
    try {
      JsonNode answer = JSON.readTree(body.getBytes());
      expected.addAndGet(answer.path("delivered_to").asLong(0));
    } catch (java.io.IOException e) {
      done(() -> "an answer that is not JSON: " + e.getMessage());
      return null;
    }
    inFlight.decrementAndGet();
    return null;
  }

  /** A send that failed, and why. */
  private void done(Supplier<String> why) {
    inFlight.decrementAndGet();
    failed.incrementAndGet();
    problems.add(why.get());
  }
}
