package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.OutboxLimits;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Recovering a channel: each channel is a stream whose notifications carry {@code channel}, {@code
 * offset} (1, 2, 3, ...) and {@code epoch}. {@code subscribe} answers every channel's position;
 * with {@code recover: {"<channel>": {offset, epoch}}} it first delivers everything after that
 * offset, in order, before anything live, and says {@code recovered: true}, or says {@code false}
 * and replays nothing when the epoch is not the channel's or the history no longer holds all of it.
 *
 * <p>That a device got nothing more is proven by a later notification to the channel, which arrives
 * after anything replayed.
 */
class PushRecoveryTest {

  private static final String ORDERS = "orders";

  private PushFixture push;

  @AfterEach
  void close() {
    if (push != null) {
      push.close();
    }
  }

  private void start(int historySize) {
    DeliveryLimits d = DeliveryLimits.DEFAULTS;
    push =
        PushFixture.start(
            PushFixture.production()
                .deliveryLimits(
                    PushFixture.deliveryLimits(
                        historySize, d.queueSize(), d.queueTtl(), d.ackTimeout()))
                .outboxLimits(new OutboxLimits(10_000, 100_000_000, 64 << 10)));
  }

  /** Sends {@code count} notifications {@code prefix1}, {@code prefix2}, ... to {@code orders}. */
  private void sendToOrders(String prefix, int count) {
    for (int i = 1; i <= count; i++) {
      push.sendToChannel(ORDERS, prefix + i);
    }
  }

  /** The epoch of {@code orders} now, as a subscribe answers it. */
  private String ordersEpoch() {
    JsonNode answer = push.device("watcher").call("subscribe", PushDevice.channels(ORDERS));
    return answer.get("result").get("positions").get(ORDERS).get("epoch").asText();
  }

  /** Sends a notification to {@code orders}, waits until {@code device} has it. */
  private void sendAndAwait(PushDevice device, String eventType) {
    push.sendToChannel(ORDERS, eventType);
    device.awaitEvent(eventType);
  }

  private static JsonNode result(JsonNode answer) {
    assertThat(answer.has("result")).as("a result: %s", answer).isTrue();
    return answer.get("result");
  }

  private static List<Long> offsets(PushDevice device) {
    return device.notifications().stream()
        .filter(p -> !p.get("event_type").asText().startsWith(PushFixture.MARKER))
        .map(p -> p.get("offset").asLong())
        .toList();
  }

  private static JsonNode json(String singleQuoted) {
    return PushHttp.parse(PushHttp.json(singleQuoted));
  }

  @Test
  void aChannelsNotificationsCarryTheChannelConsecutiveOffsetsAndOneEpoch() {
    start(100);
    PushDevice phone = push.device("alice");
    phone.subscribe(ORDERS);
    sendToOrders("n", 3);
    phone.awaitEvent("n3");

    assertThat(phone.notifications())
        .extracting(p -> p.get("channel").asText(), p -> p.get("offset").asLong())
        .containsExactly(tuple(ORDERS, 1L), tuple(ORDERS, 2L), tuple(ORDERS, 3L));
    assertThat(phone.notifications())
        .extracting(p -> p.get("epoch").asText())
        .containsOnly(phone.notifications().get(0).get("epoch").asText())
        .allSatisfy(epoch -> assertThat(epoch).isNotBlank());
  }

  @Test
  void aSubscribeAnswersEachChannelsOffsetAndEpoch() {
    start(100);
    sendToOrders("n", 2);
    String epoch = ordersEpoch();

    JsonNode answer =
        result(push.device("alice").call("subscribe", PushDevice.channels(ORDERS, "news")));

    assertThat(answer.get("subscribed")).isEqualTo(json("['orders','news']"));
    assertThat(answer.get("recovered")).isEqualTo(json("{}"));
    assertThat(answer.get("positions").get(ORDERS))
        .isEqualTo(json("{'offset':2,'epoch':'" + epoch + "'}"));
    assertThat(answer.get("positions").get("news").get("offset").asLong()).isZero();
  }

  @Test
  void aRecoveringSubscribeDeliversEverythingAfterItsOffsetBeforeLiveOnesInOrder() {
    start(100);
    PushDevice phone = push.device("alice");
    phone.subscribe(ORDERS);
    sendToOrders("n", 2);
    JsonNode last = phone.awaitEvent("n2");
    phone.close();
    sendToOrders("missed", 3);

    PushDevice again = push.device("alice");
    JsonNode answer =
        result(again.recover(ORDERS, last.get("offset").asLong(), last.get("epoch").asText()));
    sendAndAwait(again, "live");

    assertThat(answer.get("subscribed")).isEqualTo(json("['orders']"));
    assertThat(answer.get("recovered")).isEqualTo(json("{'orders':true}"));
    assertThat(answer.get("positions"))
        .isEqualTo(json("{'orders':{'offset':5,'epoch':'" + last.get("epoch").asText() + "'}}"));
    assertThat(again.takeEvents()).containsExactly("missed1", "missed2", "missed3", "live");
    assertThat(offsets(again)).containsExactly(3L, 4L, 5L, 6L);
  }

  @Test
  void recoveringFromTheCurrentOffsetReplaysNothingAndIsRecovered() {
    start(100);
    sendToOrders("n", 3);
    String epoch = ordersEpoch();
    PushDevice phone = push.device("alice");

    JsonNode answer = result(phone.recover(ORDERS, 3, epoch));
    sendAndAwait(phone, "live");

    assertThat(answer.get("recovered")).isEqualTo(json("{'orders':true}"));
    assertThat(phone.takeEvents()).containsExactly("live");
  }

  @Test
  void aForeignEpochIsNotRecoveredAndNothingIsReplayed() {
    start(100);
    sendToOrders("n", 3);
    String epoch = ordersEpoch();
    PushDevice phone = push.device("alice");

    JsonNode answer = result(phone.recover(ORDERS, 1, "not-" + epoch));
    sendAndAwait(phone, "live");

    assertThat(answer.get("recovered")).isEqualTo(json("{'orders':false}"));
    assertThat(answer.get("positions"))
        .isEqualTo(json("{'orders':{'offset':3,'epoch':'" + epoch + "'}}"));
    assertThat(phone.takeEvents()).containsExactly("live");
  }

  @Test
  void anOffsetOlderThanTheHistoryIsNotRecoveredButOneItStillCoversIs() {
    start(3);
    sendToOrders("n", 6); // the history keeps n4..n6
    String epoch = ordersEpoch();

    PushDevice tooOld = push.device("alice");
    JsonNode refused = result(tooOld.recover(ORDERS, 2, epoch));
    PushDevice covered = push.device("bob");
    JsonNode accepted = result(covered.recover(ORDERS, 3, epoch));
    push.sendToChannel(ORDERS, "live");
    tooOld.awaitEvent("live");
    covered.awaitEvent("live");

    assertThat(refused.get("recovered")).isEqualTo(json("{'orders':false}"));
    assertThat(tooOld.takeEvents()).containsExactly("live");
    assertThat(accepted.get("recovered")).isEqualTo(json("{'orders':true}"));
    assertThat(covered.takeEvents()).containsExactly("n4", "n5", "n6", "live");
  }

  @Test
  void oneSubscribeRecoversSeveralChannelsEachInItsOrder() {
    start(100);
    sendToOrders("o", 3);
    for (int i = 1; i <= 3; i++) {
      push.sendToChannel("news", "n" + i);
    }
    JsonNode positions =
        result(push.device("watcher").call("subscribe", PushDevice.channels(ORDERS, "news")))
            .get("positions");
    PushDevice phone = push.device("alice");

    JsonNode answer =
        result(
            phone.call(
                "subscribe",
                "{'channels':['orders','news','sports'],'recover':{"
                    + "'orders':{'offset':1,'epoch':'"
                    + positions.get(ORDERS).get("epoch").asText()
                    + "'},'news':{'offset':2,'epoch':'"
                    + positions.get("news").get("epoch").asText()
                    + "'}}}"));
    push.settle();

    assertThat(answer.get("recovered")).isEqualTo(json("{'orders':true,'news':true}"));
    assertThat(PushHttp.fieldNames(answer.get("positions")))
        .containsExactly("orders", "news", "sports");
    List<String> events = phone.takeEvents();
    assertThat(events).containsExactlyInAnyOrder("o2", "o3", "n3");
    assertThat(events.indexOf("o2")).isLessThan(events.indexOf("o3"));
  }

  @Test
  void recoveringAChannelAlreadySubscribedReplaysAfterTheOffsetOnceThenLive() {
    start(100);
    PushDevice phone = push.device("alice");
    JsonNode position = result(phone.call("subscribe", PushDevice.channels(ORDERS)));
    String epoch = position.get("positions").get(ORDERS).get("epoch").asText();
    sendToOrders("n", 3);
    phone.awaitEvent("n3");
    phone.takeEvents();

    JsonNode answer = result(phone.recover(ORDERS, 1, epoch));
    sendAndAwait(phone, "live");

    assertThat(answer.get("recovered")).isEqualTo(json("{'orders':true}"));
    assertThat(phone.takeEvents()).containsExactly("n2", "n3", "live");
  }

  @Test
  void recoverMayNameOnlyChannelsBeingSubscribed() {
    start(100);
    PushDevice phone = push.device("alice");

    JsonNode answer =
        phone.call(
            "subscribe", "{'channels':['news'],'recover':{'orders':{'offset':1,'epoch':'e'}}}");
    JsonNode malformed =
        phone.call("subscribe", "{'channels':['orders'],'recover':{'orders':{'offset':-1}}}");

    assertThat(answer.get("error").get("code").asInt()).isEqualTo(-32602);
    assertThat(malformed.get("error").get("code").asInt()).isEqualTo(-32602);
    assertThat(push.http.get("/api/v1/channels/news").status()).isEqualTo(404);
  }

  /**
   * Sends to a channel while a device recovers it from far back: everything after the offset
   * arrives, then every racing send, each offset once and in order. The racing sends go on from
   * before the subscribe until after it is answered; repeated, as a race goes one way or the other.
   */
  @RepeatedTest(3)
  void sendsRacingARecoveryArriveInOffsetOrderWithNoGapAndNoDuplicate() {
    start(5_000);
    String orders = "{'type':'channel','value':'orders'}";
    push.sendInBatches(orders, "h", 1, 400);
    String epoch = ordersEpoch();
    PushDevice phone = push.device("alice");
    RacingSends racing = RacingSends.start(push, orders, 4);

    JsonNode answer = result(phone.recover(ORDERS, 100, epoch));
    List<List<String>> sent = racing.stop();
    sendAndAwait(phone, "after");

    assertThat(answer.get("recovered")).isEqualTo(json("{'orders':true}"));
    long last = 400 + sent.stream().mapToInt(List::size).sum() + 1;
    assertThat(offsets(phone))
        .containsExactlyElementsOf(LongStream.rangeClosed(101, last).boxed().toList());
    List<String> events = phone.takeEvents();
    RacingSends.assertEachOnceInSendersOrder(events.subList(300, events.size() - 1), sent);
  }
}
