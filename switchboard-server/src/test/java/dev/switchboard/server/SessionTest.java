package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.gateway.Outgoing;
import dev.switchboard.gateway.Priority;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session over a sink that records: what every transport gets from the session without writing it
 * again (the queue, the slow-consumer policy, leaving once).
 */
class SessionTest {

  /** Two messages waiting at most; a window of one message in flight. */
  private static final OutboxLimits LIMITS = new OutboxLimits(2, 1 << 20, 1);

  private final RecordingSink sink = new RecordingSink();
  private final ServerCounters counters = new ServerCounters();
  private final AtomicInteger gone = new AtomicInteger();
  private Session session;
  private RpcConnection rpc;

  @BeforeEach
  void open() {
    session =
        new Session(
            "c1",
            java.time.Instant.EPOCH,
            Identity.anonymous("alice"),
            sink,
            LIMITS,
            counters,
            ServerMeters.create(false),
            false,
            Dialect.of(DeviceProtocol.JSONRPC));
    rpc =
        RpcConnection.open(
            session,
            RpcMethods.builder().build(),
            RpcConfig.builder().pingInterval(Duration.ZERO).build());
    session.attach(rpc, gone::incrementAndGet);
  }

  @AfterEach
  void close() {
    rpc.transportClosed(CloseReason.NORMAL, "test over");
  }

  @Test
  void theSinkIsStartedOnceWithItsSession() {
    assertThat(sink.startedWith).containsExactly(session);
    assertThat(session.describe()).isEqualTo("test c1 user alice 10.0.0.1:5");
  }

  @Test
  void messagesReachTheSinkInOrderOneWindowAtATime() {
    session.deliver(notification("a"));
    session.deliver(notification("b"));

    assertThat(sink.texts()).containsExactly("a");
    sink.finishNext();
    assertThat(sink.texts()).containsExactly("a", "b");
  }

  @Test
  void aSessionThatCannotKeepUpLeavesOnceAndIsClosedAsASlowConsumer() {
    session.deliver(rpcMessage("in flight"));
    session.deliver(rpcMessage("waits 1"));
    session.deliver(rpcMessage("waits 2"));

    assertThat(session.deliver(rpcMessage("one too many"))).isFalse();
    assertThat(session.deliver(rpcMessage("after"))).isFalse();

    assertThat(gone).hasValue(1);
    assertThat(counters.slowConsumers.sum()).isEqualTo(1);
    assertThat(sink.closes).hasSize(1);
    assertThat(sink.closes.getFirst().code()).isEqualTo(Session.SLOW_CONSUMER);
    assertThat(sink.closes.getFirst().reason()).contains("2 messages");
    assertThat(counters.recent.newestFirst())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(RecentEvents.Kind.SLOW_CONSUMER);
              assertThat(e.subject()).isEqualTo("test c1 user alice 10.0.0.1:5");
              assertThat(e.detail()).startsWith("closing with 4008: slow consumer");
            });
  }

  @Test
  void droppableNotificationsMakeRoomInsteadOfClosing() {
    session.deliver(notification("in flight"));
    session.deliver(notification("old 1"));
    session.deliver(notification("old 2"));

    assertThat(session.deliver(notification("new"))).isTrue();

    assertThat(counters.dropped.sum()).isEqualTo(1);
    assertThat(sink.closes).isEmpty();
  }

  @Test
  void theEndOfTheTransportIsReportedOnceAndStopsDeliveries() {
    session.transportClosed(CloseReason.CONNECTION_LOST, "");
    session.transportClosed(CloseReason.CONNECTION_LOST, "");

    assertThat(gone).hasValue(1);
    assertThat(rpc.isOpen()).isFalse();
    assertThat(session.deliver(notification("late"))).isFalse();
  }

  @Test
  void whatArrivesGoesToTheRpcPeerAndAViolationClosesWithItsCode() {
    session.received(
        Encoding.JSON,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(sink.texts()).singleElement().asString().contains("-32601");

    session.violation(1002, "bad frame");
    assertThat(sink.closes).containsExactly(new CloseReason(1002, "bad frame"));
    assertThat(counters.recent.newestFirst())
        .extracting(RecentEvents.Event::kind, RecentEvents.Event::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                RecentEvents.Kind.ERROR, "closing with 1002: bad frame"));
  }

  private static Outgoing notification(String text) {
    return Outgoing.notification(text.getBytes(StandardCharsets.UTF_8), Priority.NORMAL);
  }

  private static Outgoing rpcMessage(String text) {
    return Outgoing.rpc(Encoding.JSON, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes complete only when the test says so ({@link #finishNext}). */
  private static final class RecordingSink implements SessionSink {
    final List<Session> startedWith = new ArrayList<>();
    final List<Outgoing> written = new CopyOnWriteArrayList<>();
    final List<Runnable> pending = new CopyOnWriteArrayList<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    volatile boolean open = true;

    @Override
    public String transport() {
      return "test";
    }

    @Override
    public String remote() {
      return "10.0.0.1:5";
    }

    @Override
    public void start(Session session) {
      startedWith.add(session);
    }

    @Override
    public void write(Outgoing message, Runnable done) {
      written.add(message);
      pending.add(done);
    }

    void finishNext() {
      pending.removeFirst().run();
    }

    List<String> texts() {
      return written.stream().map(m -> new String(m.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Override
    public boolean ping() {
      return false;
    }

    @Override
    public void close(CloseReason reason) {
      closes.add(reason);
      open = false;
    }

    @Override
    public void abort() {
      open = false;
    }

    @Override
    public boolean isOpen() {
      return open;
    }
  }
}
