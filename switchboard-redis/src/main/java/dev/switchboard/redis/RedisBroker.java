package dev.switchboard.redis;

import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.Delivery;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Publication;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Target;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of a cluster whose nodes share one Redis. A send accepted here is encoded once,
 * appended to its streams and published in one Lua script ({@link PublishScript}: taking each
 * stream's next offset, appending, and publishing are one atomic step, so every node receives a
 * stream's notifications in offset order); every node, this one too, reads it from the pub/sub
 * channel {@code <prefix>deliver}, hands it to its own devices in that order ({@link
 * Deliveries#deliver}) and answers this node on {@code <prefix>answer:<node>} with what its devices
 * took; this node sums the answers of the nodes that were live when it published (the script reads
 * the heartbeats {@link RedisMembership} writes, in the same step).
 *
 * <p>Bounds: at most {@value #MAX_PENDING} sends wait for answers at once (more fail with {@link
 * SharedStateException}); a node that does not answer within the answer timeout (2 s by default)
 * counts as reaching none; at most {@value #DELIVERY_QUEUE} publications wait for this node's
 * delivery thread (more are dropped and counted: the devices recover them from the streams by
 * offset). Pub/sub is at most once: what a node misses while its subscription is down reaches its
 * devices when they recover by offset.
 */
public final class RedisBroker implements Broker, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);

  /** The most sends waiting for their nodes' answers at once. */
  public static final int MAX_PENDING = 10_000;

  /** The most publications waiting for this node's delivery thread. */
  public static final int DELIVERY_QUEUE = 65_536;

  private final RedisEngine engine;
  private final Deliveries local;
  private final PublishScript script;
  private final StatefulRedisPubSubConnection<String, byte[]> subscription;
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor delivery;
  private final PendingSends pending;
  private final String deliverChannel;
  private final String answerChannel;
  private final HandedOut handedOut;
  private final java.util.concurrent.atomic.AtomicBoolean subscribedOnce =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();

  private RedisBroker(RedisEngine engine, Deliveries local, Duration answerTimeout, Clock clock) {
    this.engine = engine;
    this.local = local;
    this.deliverChannel = engine.key("deliver");
    this.script = new PublishScript(engine, local.store().limits(), clock, deliverChannel);
    this.handedOut = new HandedOut(local, clock);
    this.answerChannel = engine.key("answer", engine.nodeId());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("switchboard-redis-broker-timer").factory());
    this.pending = new PendingSends(timer, answerTimeout, MAX_PENDING);
    this.delivery =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(DELIVERY_QUEUE),
            Thread.ofPlatform().daemon().name("switchboard-redis-delivery").factory(),
            (task, executor) -> {
              if (dropped.getAndIncrement() % 1000 == 0) {
                LOG.warn(
                    "this node's delivery queue is full ({} waiting): a publication was dropped;"
                        + " its devices recover it by offset ({} dropped so far)",
                    DELIVERY_QUEUE,
                    dropped.get());
              }
            });
    this.subscription = engine.pubSub();
  }

  /**
   * Starts this node's broker: subscribes to the cluster's publications and to this node's answers;
   * blocks until subscribed.
   *
   * @param local this node's deliveries, over the Redis delivery store the publish script appends
   *     to
   * @param answerTimeout the longest a send waits for a node's answer
   * @param clock when a send is appended (its expiry in the inboxes)
   * @throws SharedStateException when Redis cannot be reached
   */
  public static RedisBroker start(
      RedisEngine engine, Deliveries local, Duration answerTimeout, Clock clock) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(local, "local");
    RedisBroker broker = new RedisBroker(engine, local, answerTimeout, clock);
    broker.subscribe();
    return broker;
  }

  private void subscribe() {
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] message) {
            if (channel.equals(deliverChannel)) {
              delivery.execute(() -> deliverHere(message));
            } else if (channel.equals(answerChannel)) {
              answered(message);
            }
          }

          @Override
          public void subscribed(String channel, long count) {
            // Lettuce resubscribes by itself after a reconnect: what was published meanwhile
            // never reached this node, so it reads that from the streams.
            if (channel.equals(deliverChannel) && !subscribedOnce.compareAndSet(false, true)) {
              delivery.execute(RedisBroker.this::catchUp);
            }
          }
        });
    try {
      subscription
          .async()
          .subscribe(deliverChannel, answerChannel)
          .toCompletableFuture()
          .get(engine.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new SharedStateException("Redis broker could not subscribe: " + e.getMessage(), e);
    }
  }

  @Override
  public CompletionStage<Delivery> publish(Target target, Notification notification) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(notification, "notification");
    Publication publication = local.dispatcher().accept(target, notification);
    UUID sendId = UUID.randomUUID();
    CompletableFuture<Delivery> answers;
    try {
      answers = pending.expect(sendId, publication);
    } catch (SharedStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    return script
        .run(engine.nodeId(), sendId, publication, notification)
        .handle(
            (published, error) -> {
              if (error != null) {
                pending.abandon(sendId);
                return CompletableFuture.<Delivery>failedFuture(error);
              }
              Set<String> nodes = new LinkedHashSet<>(published.liveNodes());
              nodes.add(engine.nodeId());
              pending.published(sendId, nodes);
              return answers;
            })
        .thenCompose(stage -> stage);
  }

  /** On this node's delivery thread: hands a publication to this node's devices, then answers. */
  private void deliverHere(byte[] bytes) {
    Envelope envelope;
    try {
      envelope = Envelope.decode(bytes);
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      LOG.warn("a message on {} is not a publication: {}", deliverChannel, e.getMessage());
      return;
    }
    Delivery here;
    try {
      here =
          handedOut
              .unseen(envelope.publication())
              .map(local::deliver)
              .orElseGet(() -> PendingSends.sum(envelope.publication(), Set.of()));
    } catch (RuntimeException e) {
      LOG.warn(
          "notification {} could not be handed out here: {}",
          envelope.publication().notificationId(),
          e.toString());
      here = PendingSends.sum(envelope.publication(), Set.of());
    }
    NodeAnswer answer = new NodeAnswer(envelope.sendId(), engine.nodeId(), here);
    if (envelope.publisher().equals(engine.nodeId())) {
      pending.answered(answer);
      return;
    }
    byte[] encoded = answer.encode();
    engine
        .callAsync(
            "answer a send", c -> c.publish(engine.key("answer", envelope.publisher()), encoded))
        .exceptionally(
            e -> {
              LOG.debug("could not answer node {}: {}", envelope.publisher(), e.getMessage());
              return 0L;
            });
  }

  private void catchUp() {
    int handed;
    try {
      handed = handedOut.catchUp();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    LOG.info(
        "subscription to the cluster back: {} notification(s) caught up from the streams", handed);
  }

  private void answered(byte[] bytes) {
    try {
      pending.answered(NodeAnswer.decode(bytes));
    } catch (IllegalArgumentException e) {
      undecodable.incrementAndGet();
      LOG.warn("a message on {} is not an answer: {}", answerChannel, e.getMessage());
    }
  }

  /** Publications this node dropped because its delivery queue was full, since start. */
  public long dropped() {
    return dropped.get();
  }

  /** Sends waiting for their nodes' answers now. */
  public int pendingSends() {
    return pending.size();
  }

  @Override
  public void close() {
    subscription.close();
    delivery.shutdownNow(); // interrupts a catch-up waiting to try again
    timer.shutdown();
  }
}
