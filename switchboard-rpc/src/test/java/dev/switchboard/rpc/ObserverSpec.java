package dev.switchboard.rpc;

import static dev.switchboard.rpc.RecordingObserver.Way.MADE;
import static dev.switchboard.rpc.RecordingObserver.Way.SERVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.jsonrpc.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link RpcObserver} hook: each call served and made is observed under its method with its
 * outcome, exactly once whatever ends it; handlers run inside their observation; the trace context
 * one side's observer gives a call arrives at the other side's; and an observer that fails costs
 * nothing but its own observations.
 */
abstract class ObserverSpec extends PeerSpec {

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final Probe probe = new Probe();
  private final Probe callerProbe = new Probe();
  private final RecordingObserver callerSide = new RecordingObserver();
  private final RecordingObserver calleeSide = new RecordingObserver();
  private final List<RpcConnection> observed = new ArrayList<>();

  /** The probe's methods, and two that say whether they run inside their observation. */
  private RpcMethods calleeMethods() {
    return RpcMethods.builder()
        .register(probe)
        .method("where", call -> RecordingObserver.insideAround().orElse("outside"))
        .nonBlockingMethod(
            "where_inline", call -> RecordingObserver.insideAround().orElse("outside"))
        .build();
  }

  private Link observedLink(RpcConfig.Builder callerConfig, RpcConfig.Builder calleeConfig) {
    Link link =
        link(
            methodsOf(callerProbe),
            callerConfig.observer(callerSide).build(),
            calleeMethods(),
            calleeConfig.observer(calleeSide).build());
    observed.add(link.caller());
    observed.add(link.callee());
    return link;
  }

  private Link observedLink() {
    return observedLink(RpcConfig.builder(), RpcConfig.builder());
  }

  private RawPeer observedRaw(RpcConfig.Builder calleeConfig) {
    return raw(calleeMethods(), calleeConfig.observer(calleeSide).build());
  }

  private static OptionalInt code(int value) {
    return OptionalInt.of(value);
  }

  @AfterEach
  void everyObservationEndedExactlyOnce() {
    observed.forEach(RpcConnection::close);
    await().atMost(WAIT).until(() -> callerSide.open() == 0 && calleeSide.open() == 0);
    assertThat(callerSide.violations()).isEmpty();
    assertThat(calleeSide.violations()).isEmpty();
  }

  @Test
  void aCallIsObservedOnBothSidesUnderItsMethodAndEndsOk() {
    RpcConnection caller = observedLink().caller();

    assertThat(caller.call("echo", Params.of("hi"), String.class)).succeedsWithin(WAIT);

    assertThat(callerSide.awaitEnded(MADE, "echo").ok()).isTrue();
    assertThat(calleeSide.awaitEnded(SERVED, "echo").ok()).isTrue();
  }

  @Test
  void aHandlerErrorEndsWithTheCodeOfItsAnswerOnBothSides() {
    RpcConnection caller = observedLink().caller();

    assertThat(failureOf(caller.call("fail", Params.of("no")))).isInstanceOf(RpcException.class);
    assertThat(failureOf(caller.call("fail_with", Params.of(42, "mine"))))
        .isInstanceOf(RpcException.class);

    assertThat(callerSide.awaitEnded(MADE, "fail").errorCode())
        .isEqualTo(code(ErrorObject.APPLICATION_ERROR));
    assertThat(calleeSide.awaitEnded(SERVED, "fail").errorCode())
        .isEqualTo(code(ErrorObject.APPLICATION_ERROR));
    assertThat(callerSide.awaitEnded(MADE, "fail_with").errorCode()).isEqualTo(code(42));
    assertThat(calleeSide.awaitEnded(SERVED, "fail_with").errorCode()).isEqualTo(code(42));
  }

  @Test
  void anUnknownMethodIsServedUnderThePlaceholderNeverUnderThePeersName() {
    RpcConnection caller = observedLink().caller();

    assertThat(failureOf(caller.call("no_such_method", Params.none())))
        .isInstanceOf(RpcException.class);
    assertThat(failureOf(caller.call("rpc.no_such_method", Params.none())))
        .isInstanceOf(RpcException.class);
    assertThat(caller.notify("no_such_notification", Params.none())).isTrue();

    assertThat(callerSide.awaitEnded(MADE, "no_such_method").errorCode())
        .isEqualTo(code(ErrorObject.METHOD_NOT_FOUND));
    await()
        .atMost(WAIT)
        .until(
            () ->
                calleeSide.ended().stream()
                        .filter(e -> e.way() == SERVED)
                        .filter(e -> e.errorCode().equals(code(ErrorObject.METHOD_NOT_FOUND)))
                        .count()
                    == 3);
    assertThat(calleeSide.ended())
        .extracting(RecordingObserver.Ended::method)
        .containsOnly(RpcObserver.UNKNOWN_METHOD);
  }

  @Test
  void aCallWhoseDeadlinePassesEndsWithDeadlineExceeded() {
    RawPeer peer = observedRaw(RpcConfig.builder());

    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"timeout_ms\":200,\"id\":1}");

    assertThat(peer.nextJson().get("error").get("code").asInt())
        .isEqualTo(ErrorObject.DEADLINE_EXCEEDED);
    assertThat(calleeSide.awaitEnded(SERVED, "block").errorCode())
        .isEqualTo(code(ErrorObject.DEADLINE_EXCEEDED));
  }

  @Test
  void aCallThatTimesOutEndsWithDeadlineExceededForTheCaller() {
    RpcConnection caller = observedLink().caller();

    assertThat(failureOf(caller.call("block", Params.none(), String.class, Duration.ofMillis(300))))
        .isInstanceOf(CallTimeoutException.class);

    assertThat(callerSide.awaitEnded(MADE, "block").errorCode())
        .isEqualTo(code(ErrorObject.DEADLINE_EXCEEDED));
    // The callee's deadline and the caller's rpc.cancel race; either ends the call served.
    assertThat(calleeSide.awaitEnded(SERVED, "block").errorCode().getAsInt())
        .isIn(ErrorObject.DEADLINE_EXCEEDED, ErrorObject.CANCELLED);
  }

  @Test
  void aCancelledCallEndsWithCancelledOnBothSides() {
    RpcConnection caller = observedLink().caller();
    CompletableFuture<String> call = caller.call("block", Params.none(), String.class);
    await().atMost(WAIT).until(() -> probe.started.get() == 1);

    call.cancel(true);

    assertThat(callerSide.awaitEnded(MADE, "block").errorCode())
        .isEqualTo(code(ErrorObject.CANCELLED));
    assertThat(calleeSide.awaitEnded(SERVED, "block").errorCode())
        .isEqualTo(code(ErrorObject.CANCELLED));
  }

  @Test
  void notificationsAreObservedBothWays() throws Exception {
    Link link = observedLink();

    assertThat(link.caller().notify("update", Params.of(1))).isTrue();
    assertThat(link.callee().notify("update", Params.of(2))).isTrue();

    assertThat(probe.updates.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(callerProbe.updates.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(callerSide.awaitEnded(MADE, "update").ok()).isTrue();
    assertThat(calleeSide.awaitEnded(SERVED, "update").ok()).isTrue();
    assertThat(calleeSide.awaitEnded(MADE, "update").ok()).isTrue();
    assertThat(callerSide.awaitEnded(SERVED, "update").ok()).isTrue();
  }

  @Test
  void theHandlerRunsInsideItsObservationOnItsOwnThread() {
    RpcConnection caller = observedLink().caller();

    assertThat(caller.call("where", Params.none(), String.class))
        .succeedsWithin(WAIT)
        .isEqualTo("where");
    assertThat(caller.call("where_inline", Params.none(), String.class))
        .succeedsWithin(WAIT)
        .isEqualTo("where_inline");
  }

  @Test
  void theTraceContextTheCallersObserverGivesArrivesAtTheCalleesObserver() {
    Link link = observedLink();

    assertThat(link.caller().call("echo", Params.of(1))).succeedsWithin(WAIT);
    assertThat(link.caller().notify("update", Params.of(2))).isTrue();

    assertThat(calleeSide.awaitEnded(SERVED, "echo").incoming())
        .contains(RecordingObserver.outgoing(1));
    assertThat(calleeSide.awaitEnded(SERVED, "update").incoming())
        .contains(RecordingObserver.outgoing(2));
  }

  @Test
  void aRequestsTraceparentReachesTheObserverAndAnInvalidOneIsIgnored() {
    RawPeer peer = observedRaw(RpcConfig.builder());

    peer.send(
        "{\"jsonrpc\":\"2.0\",\"method\":\"touch\",\"id\":1,\"traceparent\":\""
            + TRACEPARENT
            + "\",\"tracestate\":\"a=b\"}");
    assertThat(peer.nextJson().has("result")).isTrue();
    peer.send(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":2,"
            + "\"traceparent\":\"00-not-a-trace-01\"}");
    assertThat(peer.nextJson().has("result")).as("an invalid traceparent is no error").isTrue();

    assertThat(calleeSide.awaitEnded(SERVED, "touch").incoming())
        .contains(new TraceContext(TRACEPARENT, Optional.of("a=b")));
    assertThat(calleeSide.awaitEnded(SERVED, "echo").incoming()).isEmpty();
  }

  @Test
  void refusalsAreObservedWithTheCodeAnswered() {
    RawPeer peer = observedRaw(RpcConfig.builder().messageRate(1, 1));

    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"touch\",\"id\":1}");
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"touch\",\"id\":2}");
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"whatever\",\"id\":3}");
    peer.answers(3);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(calleeSide.ended())
                    .extracting(RecordingObserver.Ended::method, e -> e.errorCode())
                    .containsExactlyInAnyOrder(
                        tuple("touch", OptionalInt.empty()),
                        tuple("touch", code(ErrorObject.RATE_LIMITED)),
                        tuple(RpcObserver.UNKNOWN_METHOD, code(ErrorObject.RATE_LIMITED))));
  }

  @Test
  void keepaliveAndCancelsAreNotObservedButDiscoveryIs() {
    Link link = observedLink();
    RawPeer peer = observedRaw(RpcConfig.builder());

    assertThat(((RealRpcConnection) link.caller()).ping(WAIT)).succeedsWithin(WAIT);
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":1}");
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":99}}");
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":2}");
    peer.answers(2);

    assertThat(calleeSide.awaitEnded(SERVED, "rpc.discover").ok()).isTrue();
    assertThat(calleeSide.ended()).hasSize(1);
    assertThat(callerSide.ended()).isEmpty();
  }

  @Test
  void callsThatFailHereEndWithALocalCode() {
    Link link =
        observedLink(
            RpcConfig.builder().maxPendingCalls(1).maxMessageBytes(1000), RpcConfig.builder());
    RpcConnection caller = link.caller();
    CompletableFuture<String> blocked = caller.call("block", Params.none(), String.class);
    await().atMost(WAIT).until(() -> probe.started.get() == 1);

    assertThat(failureOf(caller.call("touch", Params.none())))
        .isInstanceOf(PendingCallsLimitException.class);
    assertThatThrownBy(() -> caller.notify("update", Params.of("x".repeat(2000))))
        .isInstanceOf(IllegalArgumentException.class);
    caller.close();
    assertThat(failureOf(blocked)).isInstanceOf(ConnectionClosedException.class);
    assertThat(failureOf(caller.call("echo", Params.of(1))))
        .isInstanceOf(ConnectionClosedException.class);

    assertThat(callerSide.awaitEnded(MADE, "touch").errorCode())
        .isEqualTo(code(RpcObserver.PENDING_LIMIT));
    assertThat(callerSide.awaitEnded(MADE, "update").errorCode())
        .isEqualTo(code(RpcObserver.UNSENDABLE));
    assertThat(callerSide.awaitEnded(MADE, "block").errorCode())
        .isEqualTo(code(RpcObserver.CONNECTION_CLOSED));
    assertThat(callerSide.awaitEnded(MADE, "echo").errorCode())
        .isEqualTo(code(RpcObserver.CONNECTION_CLOSED));
    assertThat(calleeSide.awaitEnded(SERVED, "block").errorCode())
        .as("abandoned when the connection closed")
        .isEqualTo(code(RpcObserver.CONNECTION_CLOSED));
  }

  @Test
  void aBatchIsObservedElementByElementOnceSent() {
    RpcConnection caller = observedLink().caller();
    RpcPeer.Batch batch = caller.batch();
    CompletableFuture<Integer> sum = batch.call("sum", Params.of(1, 2), Integer.class);
    CompletableFuture<String> fail = batch.call("fail", Params.of("no"), String.class);
    batch.notify("update", Params.of(1));
    caller.batch().notify("update", Params.of("never sent"));
    assertThat(callerSide.open()).as("nothing is observed before it is sent").isZero();

    batch.send();

    assertThat(sum).succeedsWithin(WAIT).isEqualTo(3);
    assertThat(failureOf(fail)).isInstanceOf(RpcException.class);
    assertThat(callerSide.awaitEnded(MADE, "sum").ok()).isTrue();
    assertThat(callerSide.awaitEnded(MADE, "fail").errorCode())
        .isEqualTo(code(ErrorObject.APPLICATION_ERROR));
    assertThat(callerSide.awaitEnded(MADE, "update").ok()).isTrue();
    assertThat(calleeSide.awaitEnded(SERVED, "sum").incoming()).isPresent();
    assertThat(calleeSide.awaitEnded(SERVED, "fail").incoming()).isPresent();
    assertThat(calleeSide.awaitEnded(SERVED, "update").incoming()).isPresent();
  }

  @Test
  void eachCallEndsExactlyOnceWhenCancelsAndTimeoutsRaceItsAnswer() {
    RpcConnection caller = observedLink().caller();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 300; i++) {
      CompletableFuture<Long> call =
          caller.call(
              "sleep",
              Params.of(random.nextInt(3)),
              Long.class,
              Duration.ofMillis(1 + random.nextInt(4)));
      if (random.nextBoolean()) {
        call.cancel(true);
      }
      calls.add(call);
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();

    // Every request reaches the callee, even those cancelled at once; violations (an observation
    // ended twice) are checked after every test.
    await().atMost(WAIT).until(() -> callerSide.ended().size() == 300);
    await().atMost(WAIT).until(() -> calleeSide.ended().size() == 300);
    assertThat(callerSide.open()).isZero();
    assertThat(calleeSide.open()).isZero();
  }

  @Test
  void anObserverThatThrowsBreaksNoCall() {
    RpcObserver throwing =
        new RpcObserver() {
          @Override
          public Observation serving(String method, Optional<TraceContext> incoming) {
            throw new IllegalStateException("serving");
          }

          @Override
          public Observation calling(String method) {
            throw new IllegalStateException("calling");
          }
        };
    RpcObserver throwingLater = new ThrowingLater();
    for (RpcObserver observer : List.of(throwing, throwingLater)) {
      Probe callee = new Probe();
      Link link =
          link(
              methodsOf(new Probe()),
              RpcConfig.builder().observer(observer).build(),
              methodsOf(callee),
              RpcConfig.builder().observer(observer).build());

      assertThat(link.caller().call("touch", Params.none(), Integer.class))
          .as("with %s", observer)
          .succeedsWithin(WAIT)
          .isEqualTo(1);
      assertThat(link.caller().call("echo", Params.of("x"), String.class))
          .succeedsWithin(WAIT)
          .isEqualTo("x");
      assertThat(failureOf(link.caller().call("fail", Params.of("no"))))
          .isInstanceOf(RpcException.class);
      assertThat(link.caller().notify("update", Params.of(1))).isTrue();
      await().atMost(WAIT).until(() -> callee.updates.size() == 1);
      assertThat(callee.started).as("the handler ran once").hasValue(1);
    }
  }

  /** Fails in every method of its observations; its wrapper never runs the handler. */
  private static final class ThrowingLater implements RpcObserver {
    @Override
    public Observation serving(String method, Optional<TraceContext> incoming) {
      return observation();
    }

    @Override
    public Observation calling(String method) {
      return observation();
    }

    private Observation observation() {
      return new Observation() {
        @Override
        public Optional<TraceContext> outgoing() {
          throw new IllegalStateException("outgoing");
        }

        @Override
        public Runnable around(Runnable handler) {
          return () -> {
            throw new IllegalStateException("around");
          };
        }

        @Override
        public void ended(OptionalInt errorCode) {
          throw new IllegalStateException("ended");
        }
      };
    }

    @Override
    public String toString() {
      return "ThrowingLater";
    }
  }
}
