package dev.switchboard.redis;

import dev.switchboard.gateway.Delivery;
import dev.switchboard.gateway.Publication;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.StreamId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sends this node accepted whose nodes have not all answered yet: each waits for the answers of
 * the nodes that were live when it was published (learnt from the publish script, which may answer
 * after some nodes did), at most {@code answerTimeout}; a node that does not answer in time counts
 * as reaching none (logged), and a node that answers in time counts even when it was not expected.
 * At most {@code max} wait at once.
 */
final class PendingSends {

  private static final Logger LOG = LoggerFactory.getLogger(PendingSends.class);

  private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final Duration answerTimeout;
  private final int max;

  PendingSends(ScheduledExecutorService timer, Duration answerTimeout, int max) {
    this.timer = timer;
    this.answerTimeout = answerTimeout;
    this.max = max;
  }

  /** One send's answers so far. */
  private static final class Pending {
    final Publication publication;

    /** Empty until the publish script said which nodes were live. */
    Set<String> waitingFor;

    final Map<String, Delivery> answers = new LinkedHashMap<>();
    final CompletableFuture<Delivery> done = new CompletableFuture<>();

    Pending(Publication publication) {
      this.publication = publication;
    }
  }

  /**
   * Starts collecting the answers to {@code sendId}, before it is published (an answer may come
   * before the publish script's own reply); the timeout runs from now.
   *
   * @throws SharedStateException when {@code max} sends wait already
   */
  CompletableFuture<Delivery> expect(UUID sendId, Publication publication) {
    if (pending.size() >= max) {
      throw new SharedStateException(
          "Redis broker: " + max + " sends wait for their nodes' answers already");
    }
    Pending p = new Pending(publication);
    pending.put(sendId, p);
    timer.schedule(() -> finish(sendId, true), answerTimeout.toNanos(), TimeUnit.NANOSECONDS);
    return p.done;
  }

  /** {@code sendId} was published while {@code nodes} were live: it waits for their answers. */
  void published(UUID sendId, Set<String> nodes) {
    Pending p = pending.get(sendId);
    if (p == null) {
      return;
    }
    boolean complete;
    synchronized (p) {
      p.waitingFor = new LinkedHashSet<>(nodes);
      p.waitingFor.removeAll(p.answers.keySet());
      complete = p.waitingFor.isEmpty();
    }
    if (complete) {
      finish(sendId, false);
    }
  }

  /** Forgets a send that was never published. */
  void abandon(UUID sendId) {
    pending.remove(sendId);
  }

  /** Takes one node's answer; completes the send once every node it waits for answered. */
  void answered(NodeAnswer answer) {
    Pending p = pending.get(answer.sendId());
    if (p == null) {
      return;
    }
    boolean complete;
    synchronized (p) {
      p.answers.put(answer.node(), answer.delivery());
      complete =
          p.waitingFor != null && p.waitingFor.remove(answer.node()) && p.waitingFor.isEmpty();
    }
    if (complete) {
      finish(answer.sendId(), false);
    }
  }

  private void finish(UUID sendId, boolean timedOut) {
    Pending p = pending.remove(sendId);
    if (p == null) {
      return;
    }
    synchronized (p) {
      if (timedOut && p.waitingFor != null && !p.waitingFor.isEmpty()) {
        LOG.warn(
            "notification {}: no answer from node(s) {} within {} ms; counted as reaching none",
            p.publication.notificationId(),
            p.waitingFor,
            answerTimeout.toMillis());
      }
      p.done.complete(sum(p.publication, p.answers.values()));
    }
  }

  /** Every node's devices added up; a user no node reached is queued when it has an inbox. */
  static Delivery sum(Publication publication, Iterable<Delivery> answers) {
    int total = 0;
    Map<String, Integer> perUser = new LinkedHashMap<>();
    Map<String, Integer> perChannel = new LinkedHashMap<>();
    for (StreamId stream : Envelope.streams(publication.target())) {
      switch (stream) {
        case StreamId.Inbox i -> perUser.put(i.userId(), 0);
        case StreamId.Channel c -> perChannel.put(c.name(), 0);
      }
    }
    for (Delivery d : answers) {
      total += d.deliveredTo();
      d.perUser().forEach((user, n) -> perUser.merge(user, n, Integer::sum));
      d.perChannel().forEach((channel, n) -> perChannel.merge(channel, n, Integer::sum));
    }
    Set<String> queued = new LinkedHashSet<>();
    perUser.forEach(
        (user, n) -> {
          if (n == 0) {
            queued.add(user);
          }
        });
    return new Delivery(publication.notificationId(), total, perUser, perChannel, queued);
  }

  int size() {
    return pending.size();
  }
}
