package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.rpc.InMemoryLink;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcPeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node links open when a node is listed, close when it is not, and reconnect with a growing,
 * jittered backoff after a drop; while a dropped link reconnects, calls to it fail at once.
 */
class NodeLinksTest {

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<InMemoryLink> opened = new CopyOnWriteArrayList<>();
  private final List<Long> attempts = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  /** Connects in memory, after failing {@link #failuresLeft} times. */
  private final NodeLinks links =
      new NodeLinks(
          address -> {
            attempts.add(System.nanoTime());
            if (failuresLeft.getAndDecrement() > 0) {
              return CompletableFuture.failedFuture(new java.io.IOException("refused"));
            }
            InMemoryLink link =
                InMemoryLink.open(RpcMethods.empty(), RpcMethods.empty(), RpcConfig.defaults());
            opened.add(link);
            return CompletableFuture.completedFuture(link.left());
          },
          executor);

  @AfterEach
  void close() throws Exception {
    links.close();
    executor.shutdownNow();
    for (InMemoryLink l : opened) {
      l.close();
    }
  }

  private static NodeFunctions node(String id) {
    return new NodeFunctions(id, "ws://" + id + "/ws", List.of(), 0);
  }

  @Test
  void aListedNodeGetsALinkAndAnUnlistedOneLosesIt() {
    links.sync(List.of(node("b")));

    await().atMost(Duration.ofSeconds(5)).until(() -> links.link("b").orElseThrow().isUp());
    RpcPeer peer = links.link("b").orElseThrow().peer().join();

    links.sync(List.of());

    assertThat(links.link("b")).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> !peer.isOpen());
  }

  @Test
  void aFailingConnectIsRetriedWithAGrowingBackoff() {
    failuresLeft.set(4);

    links.sync(List.of(node("b")));

    await().atMost(Duration.ofSeconds(10)).until(() -> links.link("b").orElseThrow().isUp());
    assertThat(attempts).hasSize(5);
    // Equal jitter: each wait is at least half of 100, 200, 400, 800 ms.
    for (int i = 1; i < attempts.size(); i++) {
      long waitedMs = (attempts.get(i) - attempts.get(i - 1)) / 1_000_000;
      assertThat(waitedMs)
          .as("wait before attempt %d", i + 1)
          .isGreaterThanOrEqualTo(50L << (i - 1));
    }
  }

  @Test
  void aDroppedLinkFailsCallsAtOnceAndReconnects() {
    links.sync(List.of(node("b")));
    await().atMost(Duration.ofSeconds(5)).until(() -> links.link("b").orElseThrow().isUp());
    failuresLeft.set(1);

    opened.getFirst().right().close();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> links.link("b").orElseThrow().peer().isCompletedExceptionally());
    await().atMost(Duration.ofSeconds(10)).until(() -> links.link("b").orElseThrow().isUp());
    assertThat(opened).hasSize(2);
  }
}
