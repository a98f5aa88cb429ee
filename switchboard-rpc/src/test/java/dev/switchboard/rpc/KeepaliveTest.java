package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jsonrpc.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keepalive without a socket: a transport that swallows everything stands for a peer that never
 * answers.
 */
class KeepaliveTest {

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  /** Records what the connection sends and how it closes; answers nothing. */
  private static final class Silent implements Transport {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    final boolean hasPing;
    final AtomicBoolean pinged = new AtomicBoolean();

    Silent(boolean hasPing) {
      this.hasPing = hasPing;
    }

    @Override
    public boolean send(Encoding encoding, byte[] bytes) {
      sent.add(new String(bytes, StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public boolean sendPing() {
      pinged.set(hasPing);
      return hasPing;
    }

    @Override
    public void close(int code, String reason) {
      closes.add(new CloseReason(code, reason));
    }

    @Override
    public String describe() {
      return "silent";
    }
  }

  private RpcConfig config() {
    return RpcConfig.builder()
        .scheduler(timers)
        .pingInterval(Duration.ofMillis(50))
        .pingTimeout(Duration.ofMillis(50))
        .maxMissedPings(3)
        .build();
  }

  @Test
  void withoutATransportPingRpcPingIsSentAndSilenceClosesWith1001() {
    Silent transport = new Silent(false);
    RpcConnection connection = RpcConnection.open(transport, RpcMethods.empty(), config());
    await().atMost(Duration.ofSeconds(5)).until(() -> !transport.closes.isEmpty());
    assertThat(transport.sent).anyMatch(m -> m.contains("\"method\":\"rpc.ping\""));
    assertThat(transport.closes.getFirst().code()).isEqualTo(CloseReason.GOING_AWAY);
    assertThat(transport.closes.getFirst().reason()).contains("3 pings");
    assertThat(connection.isOpen()).isFalse();
    assertThat(connection.pendingCalls()).isZero();
  }

  @Test
  void withATransportPingSilenceClosesWith1001AndNoRpcPingIsSent() {
    Silent transport = new Silent(true);
    RpcConnection connection = RpcConnection.open(transport, RpcMethods.empty(), config());
    await().atMost(Duration.ofSeconds(5)).until(() -> !transport.closes.isEmpty());
    assertThat(transport.pinged).isTrue();
    assertThat(transport.sent).isEmpty();
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void pongsKeepTheConnectionOpen() throws Exception {
    Silent transport = new Silent(true);
    RpcConnection connection = RpcConnection.open(transport, RpcMethods.empty(), config());
    var pongs = timers.scheduleAtFixedRate(connection::alive, 0, 10, TimeUnit.MILLISECONDS);
    Thread.sleep(600);
    pongs.cancel(false);
    assertThat(transport.closes).isEmpty();
    assertThat(connection.isOpen()).isTrue();
    connection.close();
  }
}
