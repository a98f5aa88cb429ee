package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.SilentWebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device that never reads its socket (a frozen phone) is handled by the outbound-queue policy and
 * holds up nobody: its oldest Low and Normal notifications are dropped to make room, and once only
 * High, Critical or RPC traffic is left and the queue is still full, it is closed with 4008.
 * Meanwhile a healthy device gets every notification, each batch within {@link PushFixture#WAIT} of
 * being sent. The queue here: 100 messages, 256 KiB; a batch (20 notifications of 8 KiB) fits it,
 * so a device that reads keeps up.
 *
 * <p>How much must be sent before the slow device's queue fills depends on the kernel's socket
 * buffers, so the tests send batches until the server's counters move, up to a bound far above any
 * buffer size.
 */
class PushSlowDeviceTest {

  private static final OutboxLimits LIMITS = new OutboxLimits(100, 256 << 10, 16 << 10);

  /** The healthy and the slow device fill the server. */
  private static final RegistryLimits FULL_WITH_TWO = new RegistryLimits(2, 5, 50);

  private static final int BATCH = 20;

  /**
   * 8 KiB payloads, 20 a batch: 200 batches are about 32 MiB, far more than socket buffers hold.
   */
  private static final int MAX_BATCHES = 200;

  private static final String PAYLOAD = "p".repeat(8 << 10);

  private PushFixture push;
  private PushDevice healthy;
  private SilentWebSocket slow;
  private int sent;

  @BeforeEach
  void connect() {
    push =
        PushFixture.start(
            PushFixture.development().outboxLimits(LIMITS).registryLimits(FULL_WITH_TWO));
    healthy = push.anonymousDevice();
    slow = SilentWebSocket.connect(push.server.webSocketUri());
    push.awaitConnections(2);
  }

  @AfterEach
  void close() throws Exception {
    slow.close();
    push.close();
  }

  /**
   * Broadcasts {@link #BATCH} notifications of {@code priority} in one batch, numbered on from the
   * last; waits until the healthy device has the last of them, and checks that no device's queue
   * has passed its limits.
   */
  private void broadcastBatch(String priority) {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < BATCH; i++) {
      items
          .append(i == 0 ? "" : ",")
          .append("{'target':{'type':'broadcast'},'event_type':'n")
          .append(sent + i)
          .append("','priority':'")
          .append(priority)
          .append("','payload':'")
          .append(PAYLOAD)
          .append("'}");
    }
    JsonNode answer =
        push.http.ok(
            "/api/v1/notifications/batch", PushHttp.json("{'notifications':[" + items + "]}"));
    assertThat(answer.get("successful").asInt()).isEqualTo(BATCH);
    sent += BATCH;
    healthy.awaitEvent("n" + (sent - 1));
    for (Device device : push.server.registry().devices()) {
      Session transport = (Session) device;
      assertThat(transport.outbox().waitingMessages()).isLessThanOrEqualTo(LIMITS.maxMessages());
      assertThat(transport.outbox().waitingBytes()).isLessThanOrEqualTo(LIMITS.maxBytes());
    }
  }

  /**
   * Broadcasts batches of {@code priority} until {@code /stats} {@code messages.<counter>} is above
   * zero.
   */
  private JsonNode floodUntil(String priority, String counter) {
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      broadcastBatch(priority);
      JsonNode messages = push.stats().get("messages");
      if (messages.get(counter).asLong() > 0) {
        return messages;
      }
    }
    throw new AssertionError(counter + " still 0 after " + sent + " notifications of 8 KiB");
  }

  private void assertHealthyGotEverythingInOrder() {
    List<String> expected = IntStream.range(0, sent).mapToObj(i -> "n" + i).toList();
    List<String> got =
        healthy.notifications().stream().map(n -> n.get("event_type").asText()).toList();
    assertThat(got).as("the healthy device's notifications").isEqualTo(expected);
  }

  @Test
  void aDeviceThatNeverReadsIsClosedWith4008OnceItsQueueOfHighNotificationsIsFull()
      throws Exception {
    JsonNode messages = floodUntil("High", "slow_consumers_disconnected");

    RawWebSocket.Closed closed = slow.awaitClose(WAIT);
    assertThat(closed.code()).isEqualTo(Session.SLOW_CONSUMER);
    assertThat(closed.reason())
        .contains("slow consumer")
        .contains("100 messages")
        .contains("262144 bytes");
    assertThat(messages.get("dropped").asLong())
        .as("High notifications are never dropped")
        .isZero();
    assertHealthyGotEverythingInOrder();
    assertThat(healthy.isOpen()).isTrue();
  }

  @Test
  void aSlowConsumersSocketIsClosedWithinTheCloseGraceThoughItNeverReadsAgain() throws Exception {
    Session transport =
        push.server.registry().devices().stream()
            .map(Session.class::cast)
            .filter(t -> t.describe().endsWith(":" + slow.socket().getLocalPort()))
            .findFirst()
            .orElseThrow();
    floodUntil("High", "slow_consumers_disconnected");
    long cut = System.nanoTime();
    // Its send buffer is full and it reads nothing: no close handshake can finish; the server
    // resets it.
    await("the slow consumer's socket to close")
        .atMost(Duration.ofSeconds(WebSocketSink.CLOSE_GRACE_SECONDS + 3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !((WebSocketSink) transport.sink()).socketOpen());
    assertThat(Duration.ofNanos(System.nanoTime() - cut))
        .isLessThan(Duration.ofSeconds(WebSocketSink.CLOSE_GRACE_SECONDS + 3));
    assertThat(transport.outbox().waitingBytes()).as("its queue is freed").isZero();
  }

  @Test
  void aSlowConsumerIsCountedOnceHoweverManyNotificationsItWasSentAfterwards() throws Exception {
    floodUntil("High", "slow_consumers_disconnected");
    assertThat(slow.awaitClose(WAIT).code()).isEqualTo(Session.SLOW_CONSUMER);

    broadcastBatch("High");

    assertThat(push.stats().get("messages").get("slow_consumers_disconnected").asLong())
        .isEqualTo(1);
  }

  @Test
  void aDeviceClosedAsASlowConsumerIsNoLongerCountedAsReached() throws Exception {
    floodUntil("High", "slow_consumers_disconnected");
    assertThat(slow.awaitClose(WAIT).code()).isEqualTo(Session.SLOW_CONSUMER);

    // The silent device never answers the close frame, so its TCP connection lingers; it must not
    // count.
    JsonNode answer = push.notify("broadcast", "{'event_type':'after','payload':1}");

    assertThat(answer.get("delivered_to").asInt()).as("only the healthy device").isEqualTo(1);
    assertThat(healthy.awaitEvent("after")).isNotNull();
  }

  @Test
  void aDeviceClosedAsASlowConsumerFreesItsPlaceAtOnce() throws Exception {
    assertThat(push.http.upgradeStatus("/ws", Map.of())).as("the server is full").isEqualTo(503);
    floodUntil("High", "slow_consumers_disconnected");
    assertThat(slow.awaitClose(WAIT).code()).isEqualTo(Session.SLOW_CONSUMER);

    // A frozen phone that comes back at once must find its place free, not wait for the old one's
    // TCP to end.
    assertThat(push.http.upgradeStatus("/ws", Map.of()))
        .as("an upgrade right after the 4008")
        .isEqualTo(101);
  }

  @Test
  void normalNotificationsToASlowDeviceAreDroppedOldestFirstInsteadOfDisconnectingIt() {
    JsonNode messages = floodUntil("Normal", "dropped");

    assertThat(messages.get("slow_consumers_disconnected").asLong()).isZero();
    assertThat(push.server.registry().connectionCount())
        .as("the slow device is still connected")
        .isEqualTo(2);
    broadcastBatch("Low");
    assertThat(push.stats().get("messages").get("slow_consumers_disconnected").asLong()).isZero();
    assertHealthyGotEverythingInOrder();
  }

  @Test
  void onceOnlyUndroppableNotificationsAreQueuedTheSlowDeviceIsClosedWith4008() throws Exception {
    long dropped = floodUntil("Normal", "dropped").get("dropped").asLong();

    JsonNode messages = floodUntil("Critical", "slow_consumers_disconnected");

    assertThat(slow.awaitClose(WAIT).code()).isEqualTo(Session.SLOW_CONSUMER);
    assertThat(messages.get("dropped").asLong())
        .as("Normal ones made room for Critical ones")
        .isGreaterThan(dropped);
    assertHealthyGotEverythingInOrder();
  }
}
