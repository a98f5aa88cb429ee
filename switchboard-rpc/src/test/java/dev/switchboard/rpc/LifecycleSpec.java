package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jsonrpc.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a connection ends: a close fails every pending call at once, on both ends, with the code and
 * reason given; keepalive keeps a peer that answers connected; the idle timeout and the maximum
 * duration close with 1001. Over the socket, keepalive uses ping frames; in memory, {@code
 * rpc.ping}.
 */
abstract class LifecycleSpec extends PeerSpec {

  private final Probe probe = new Probe();

  @Test
  void closingFailsEveryPendingCallAtOnceAndLeavesNothingPending() {
    RpcConnection caller = link(methodsOf(probe)).caller();
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(caller.call("block", Params.none(), String.class, Duration.ofMinutes(5)));
    }
    await().atMost(WAIT).until(() -> probe.started.get() == 10);
    long start = System.nanoTime();
    caller.close();
    for (CompletableFuture<String> call : calls) {
      assertThat(call).isCompletedExceptionally();
      assertThat(failureOf(call))
          .isInstanceOf(ConnectionClosedException.class)
          .hasMessageContaining("connection closed");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(caller.pendingCalls()).isZero();
    assertThat(caller.isOpen()).isFalse();
    assertThat(caller.closeFuture()).isCompletedWithValue(new CloseReason(CloseReason.NORMAL, ""));
    assertThat(failureOf(caller.call("echo", Params.of(1), Integer.class)))
        .isInstanceOf(ConnectionClosedException.class);
    assertThat(caller.notify("update", Params.of(1))).isFalse();
  }

  @Test
  void theOtherEndClosingFailsOurPendingCallsWithItsCodeAndReasonAndStopsItsHandlers()
      throws Exception {
    Link link = link(methodsOf(probe));
    CompletableFuture<String> call =
        link.caller().call("block", Params.none(), String.class, Duration.ofMinutes(5));
    await().atMost(WAIT).until(() -> probe.started.get() == 1);
    link.callee().close(CloseReason.GOING_AWAY, "maintenance");
    Throwable failure = failureOf(call);
    assertThat(failure).isInstanceOf(ConnectionClosedException.class);
    assertThat(((ConnectionClosedException) failure).closeCode()).isEqualTo(CloseReason.GOING_AWAY);
    assertThat(link.caller().closeFuture())
        .succeedsWithin(WAIT)
        .isEqualTo(new CloseReason(CloseReason.GOING_AWAY, "maintenance"));
    assertThat(link.caller().pendingCalls()).isZero();
    assertThat(probe.interrupted.await(5, TimeUnit.SECONDS)).as("handler interrupted").isTrue();
    assertThat(link.callee().callsInFlight()).isZero();
  }

  @Test
  void closingWithCallsInFlightBothWaysFailsOursAndStopsTheirs() throws Exception {
    CountDownLatch hangInterrupted = new CountDownLatch(1);
    RpcMethods callerMethods =
        RpcMethods.builder()
            .method(
                "hang",
                call -> {
                  try {
                    Thread.sleep(60_000);
                    return null;
                  } catch (InterruptedException e) {
                    hangInterrupted.countDown();
                    throw e;
                  }
                })
            .build();
    Link link = link(callerMethods, RpcConfig.defaults(), methodsOf(probe), RpcConfig.defaults());
    // caller -> callee.callback -> caller.hang: a call each way, both in flight.
    CompletableFuture<String> nested =
        link.caller().call("callback", Params.of("hang", List.of()), String.class);
    await().atMost(WAIT).until(() -> link.caller().callsInFlight() == 1);
    link.caller().close();
    assertThat(failureOf(nested)).isInstanceOf(ConnectionClosedException.class);
    assertThat(hangInterrupted.await(5, TimeUnit.SECONDS)).as("caller's handler stopped").isTrue();
    await()
        .atMost(WAIT)
        .until(() -> link.callee().pendingCalls() == 0 && link.callee().callsInFlight() == 0);
    assertThat(link.callee().isOpen()).isFalse();
  }

  @Test
  void keepaliveKeepsAPeerThatAnswersConnected() {
    RpcConfig keepalive =
        RpcConfig.builder()
            .pingInterval(Duration.ofMillis(30))
            .pingTimeout(Duration.ofMillis(300))
            .maxMissedPings(2)
            .build();
    List<CountingTransport> transports = new ArrayList<>();
    Wire.Ends<RpcConnection, RpcConnection> ends =
        join(
            transport -> counted(transport, transports, keepalive),
            transport -> counted(transport, transports, keepalive));
    await()
        .during(Duration.ofMillis(400))
        .atMost(WAIT)
        .until(() -> ends.left().isOpen() && ends.right().isOpen());
    assertThat(transports)
        .as("each end pinged and answered pings")
        .hasSize(2)
        .allSatisfy(transport -> assertThat(transport.sent()).isGreaterThan(2));
  }

  private static RpcConnection counted(
      Transport transport, List<CountingTransport> transports, RpcConfig config) {
    CountingTransport counting = new CountingTransport(transport);
    transports.add(counting);
    return RpcConnection.open(counting, RpcMethods.empty(), config);
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() {
    long start = System.nanoTime();
    RawPeer peer =
        raw(
            methodsOf(probe),
            RpcConfig.builder()
                .pingInterval(Duration.ZERO)
                .idleTimeout(Duration.ofMillis(300))
                .build());
    assertThat(peer.closed())
        .succeedsWithin(WAIT)
        .satisfies(
            closed -> {
              assertThat(closed.code()).isEqualTo(CloseReason.GOING_AWAY);
              assertThat(closed.reason()).contains("idle");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void trafficKeepsAConnectionFromIdling() throws Exception {
    Link link =
        link(
            methodsOf(probe),
            RpcConfig.builder()
                .pingInterval(Duration.ZERO)
                .idleTimeout(Duration.ofMillis(400))
                .build());
    for (int i = 0; i < 8; i++) {
      assertThat(link.caller().call("echo", Params.of(i), Integer.class))
          .succeedsWithin(WAIT)
          .isEqualTo(i);
      Thread.sleep(100); // traffic every 100 ms, against a 400 ms idle timeout
    }
    assertThat(link.callee().isOpen()).isTrue();
    assertThat(link.caller().isOpen()).isTrue();
  }

  @Test
  void keepalivePingsDoNotCountAsActivity() {
    // The callee pings every 50 ms and the caller answers every ping, but sends nothing else.
    RpcConnection caller =
        link(
                methodsOf(probe),
                RpcConfig.builder()
                    .pingInterval(Duration.ofMillis(50))
                    .idleTimeout(Duration.ofMillis(400))
                    .build())
            .caller();
    assertThat(caller.closeFuture())
        .succeedsWithin(WAIT)
        .satisfies(
            reason -> {
              assertThat(reason.code()).isEqualTo(CloseReason.GOING_AWAY);
              assertThat(reason.reason()).contains("idle");
            });
  }

  @Test
  void aConnectionIsClosedAtItsMaximumDuration() {
    RpcConnection caller =
        link(
                methodsOf(probe),
                RpcConfig.builder()
                    .pingInterval(Duration.ZERO)
                    .maxConnectionDuration(Duration.ofMillis(300))
                    .build())
            .caller();
    assertThat(caller.closeFuture())
        .succeedsWithin(WAIT)
        .satisfies(
            reason -> {
              assertThat(reason.code()).isEqualTo(CloseReason.GOING_AWAY);
              assertThat(reason.reason()).contains("maximum duration");
            });
    assertThat(failureOf(caller.call("echo", Params.of(1), Integer.class)))
        .isInstanceOf(ConnectionClosedException.class);
  }
}
