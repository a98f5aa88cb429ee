package dev.switchboard.cluster;

import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.RpcPeer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's persistent JSON-RPC connections to the other nodes: one link per node the directory
 * lists, opened as soon as it appears and closed when it leaves. A link that drops reconnects after
 * a backoff of 100 ms doubling up to 5 s, with equal jitter (half the delay fixed, half random),
 * for as long as its node is listed. Thread-safe.
 */
public final class NodeLinks implements AutoCloseable {

  /** The first reconnect delay, in ms. */
  static final long BACKOFF_MIN_MILLIS = 100;

  /** The longest reconnect delay, in ms. */
  static final long BACKOFF_MAX_MILLIS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(NodeLinks.class);

  /** Opens a connection to a node's address ({@link NodeFunctions#address()}). */
  @FunctionalInterface
  public interface Connector {
    /** Connects without blocking; the future fails when the node cannot be reached. */
    CompletableFuture<? extends RpcPeer> connect(String address);
  }

  private final Connector connector;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Link> links = new ConcurrentHashMap<>();
  private volatile boolean closed;

  NodeLinks(Connector connector, ScheduledExecutorService scheduler) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** Opens links to the listed nodes without one, closes those of nodes no longer listed. */
  void sync(List<NodeFunctions> others) {
    if (closed) {
      return;
    }
    Set<String> listed = new HashSet<>();
    for (NodeFunctions node : others) {
      listed.add(node.nodeId());
      Link link = links.get(node.nodeId());
      if (link != null && !link.address.equals(node.address())) {
        links.remove(node.nodeId(), link);
        link.close("it moved to " + node.address());
        link = null;
      }
      if (link == null) {
        Link fresh = new Link(node.nodeId(), node.address());
        if (links.putIfAbsent(node.nodeId(), fresh) == null) {
          fresh.connect();
        }
      }
    }
    for (Link link : links.values()) {
      if (!listed.contains(link.nodeId) && links.remove(link.nodeId, link)) {
        link.close("it left the cluster");
      }
    }
  }

  /** The link to {@code nodeId}; empty when that node is not listed. */
  Optional<Link> link(String nodeId) {
    return Optional.ofNullable(links.get(nodeId));
  }

  @Override
  public void close() {
    closed = true;
    for (Link link : links.values()) {
      link.close("this node is leaving");
    }
    links.clear();
  }

  /** The connection to one node. */
  final class Link {
    final String nodeId;
    final String address;
    private final Object lock = new Object();

    /** Connected, or the first connect under way; replaced at each reconnect. */
    private CompletableFuture<RpcPeer> peer = new CompletableFuture<>();

    /** Whether the link has been up and dropped since: calls fail at once until it is up again. */
    private boolean down;

    private int failures;

    /** The node said it is shutting down: failing reconnects are expected, not warned about. */
    private volatile boolean leaving;

    private boolean gone;
    private String goneWhy = "";

    Link(String nodeId, String address) {
      this.nodeId = nodeId;
      this.address = address;
    }

    /** The connected peer, or the first connect; failed while the link is down. */
    CompletableFuture<RpcPeer> peer() {
      synchronized (lock) {
        if (gone) {
          return CompletableFuture.failedFuture(
              new IllegalStateException("node " + nodeId + " is unreachable: " + goneWhy));
        }
        if (down && !peer.isDone()) {
          return CompletableFuture.failedFuture(
              new IllegalStateException(
                  "the link to node " + nodeId + " dropped and is reconnecting"));
        }
        return peer;
      }
    }

    /** Whether the link is connected now. */
    boolean isUp() {
      CompletableFuture<RpcPeer> p;
      synchronized (lock) {
        p = peer;
      }
      return p.isDone() && !p.isCompletedExceptionally() && p.join().isOpen();
    }

    /** Our calls on this link awaiting an answer (0 when not connected). */
    int inFlight() {
      CompletableFuture<RpcPeer> p;
      synchronized (lock) {
        p = peer;
      }
      return p.isDone() && !p.isCompletedExceptionally() ? p.join().pendingCalls() : 0;
    }

    void connect() {
      CompletableFuture<RpcPeer> target;
      synchronized (lock) {
        if (gone) {
          return;
        }
        target = peer;
      }
      CompletableFuture<? extends RpcPeer> attempt;
      try {
        attempt = connector.connect(address);
      } catch (RuntimeException e) {
        attempt = CompletableFuture.failedFuture(e);
      }
      attempt.whenComplete(
          (connected, failure) -> {
            if (failure != null) {
              retry(failure);
              return;
            }
            boolean keep;
            synchronized (lock) {
              keep = !gone;
              if (keep) {
                failures = 0;
                down = false;
                leaving = false;
                if (target.isDone()) {
                  peer = CompletableFuture.completedFuture(connected);
                } else {
                  target.complete(connected);
                }
              }
            }
            if (!keep) {
              connected.close();
              return;
            }
            log.info("node link to {} at {} is up", nodeId, address);
            connected
                .closeFuture()
                .whenComplete(
                    (why, e) ->
                        dropped(
                            connected,
                            String.valueOf(why),
                            why != null && why.code() == CloseReason.GOING_AWAY));
          });
    }

    /** The link closed; {@code leaving}: the node said it is shutting down (1001). */
    private void dropped(RpcPeer connected, String why, boolean leaving) {
      synchronized (lock) {
        if (gone || peer.getNow(null) != connected) {
          return;
        }
        down = true;
        peer = new CompletableFuture<>();
      }
      this.leaving = leaving;
      if (leaving) {
        log.info(
            "node {} at {} is shutting down ({}); reconnecting until it leaves",
            nodeId,
            address,
            why);
      } else {
        log.warn("node link to {} at {} dropped ({}); reconnecting", nodeId, address, why);
      }
      retry(null);
    }

    private void retry(Throwable failure) {
      long delay;
      synchronized (lock) {
        if (gone) {
          return;
        }
        failures++;
        long ceiling =
            Math.min(BACKOFF_MAX_MILLIS, BACKOFF_MIN_MILLIS << Math.min(failures - 1, 16));
        delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        if (failure != null && failures == 1) {
          down = true;
        }
      }
      if (failure != null && !leaving && (failures == 1 || failures % 10 == 0)) {
        log.warn(
            "node link to {} at {}: connect failed ({} in a row): {}; next try in {} ms",
            nodeId,
            address,
            failures,
            failure.toString(),
            delay);
      }
      try {
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        close("this node is leaving");
      }
    }

    void close(String why) {
      CompletableFuture<RpcPeer> p;
      synchronized (lock) {
        if (gone) {
          return;
        }
        gone = true;
        goneWhy = why;
        p = peer;
      }
      p.completeExceptionally(
          new IllegalStateException("node " + nodeId + " is unreachable: " + why));
      if (p.isDone() && !p.isCompletedExceptionally()) {
        p.join().close();
      }
      log.info("node link to {} at {} closed: {}", nodeId, address, why);
    }
  }
}
