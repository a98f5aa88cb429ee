package dev.switchboard.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A backend sending to users {@code 0 .. users-1} ({@link AckingFleet#user}) through the nodes'
 * HTTP APIs in turn, on a few threads at a steady pace, until closed. Each user's sends go one
 * after another (thread {@code t} sends to users {@code t, t + threads, ...}), so the order they
 * were answered in is the order of the user's stream. It records, per user, the event types of the
 * sends answered 200, and apart those that got no answer or another status: those may or may not
 * have been sent.
 */
final class SteadyPublisher implements AutoCloseable {

  private final List<PushHttp> nodes;
  private final int users;
  private final long pauseNanos;
  private final AtomicInteger turn = new AtomicInteger();
  private final List<List<String>> accepted = new ArrayList<>();
  private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /** Starts {@code threads} threads, together at most about {@code perSecond} sends a second. */
  SteadyPublisher(List<PushHttp> nodes, int users, int threads, int perSecond) {
    this.nodes = List.copyOf(nodes);
    this.users = users;
    this.pauseNanos = TimeUnit.SECONDS.toNanos(1) * threads / perSecond;
    for (int u = 0; u < users; u++) {
      accepted.add(new CopyOnWriteArrayList<>());
    }
    for (int t = 0; t < threads; t++) {
      int first = t;
      int step = threads;
      this.threads.add(Thread.ofVirtual().name("publisher-" + t).start(() -> run(first, step)));
    }
  }

  private void run(int first, int step) {
    int[] sequence = new int[users];
    long next = System.nanoTime();
    while (running) {
      for (int user = first; user < users && running; user += step) {
        send(user, "n-" + user + "-" + sequence[user]++);
        next += pauseNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else {
          next = System.nanoTime(); // behind: no burst to catch up
        }
      }
    }
  }

  private void send(int user, String event) {
    PushHttp node = nodes.get(Math.floorMod(turn.getAndIncrement(), nodes.size()));
    String body =
        PushHttp.json(
            "{'target_user_id':'"
                + AckingFleet.user(user)
                + "','event_type':'"
                + event
                + "','payload':{}}");
    String outcome;
    try {
      PushHttp.Response answer = node.post("/api/v1/notifications/send", body);
      outcome = String.valueOf(answer.status());
    } catch (AssertionError noAnswer) { // PushHttp's "no answer": a node killed or gone
      outcome = "no answer";
    }
    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
    if (outcome.equals("200")) {
      accepted.get(user).add(event);
    } else {
      uncertain.add(event);
    }
  }

  /** The event types sent to {@code user} and answered 200, in the order answered. */
  List<String> accepted(int user) {
    return List.copyOf(accepted.get(user));
  }

  int acceptedCount() {
    return accepted.stream().mapToInt(List::size).sum();
  }

  /** Whether {@code event} was sent without a 200: it may arrive, or not. */
  boolean uncertain(String event) {
    return uncertain.contains(event);
  }

  /** How many sends got each status, or {@code no answer}. */
  Map<String, Integer> outcomes() {
    Map<String, Integer> out = new TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Stops sending; returns once the last send is answered. */
  @Override
  public void close() {
    running = false;
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
