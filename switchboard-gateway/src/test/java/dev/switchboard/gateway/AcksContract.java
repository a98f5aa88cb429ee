package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Acks} does: a delivery is acknowledged once, by its own user, within the ACK
 * timeout; later it has expired and its ACK is unknown; deliveries beyond the pending bound are not
 * tracked; the statistics count pending, acknowledged and expired deliveries and the average ACK
 * time. Run by {@link DeliveryStoreContract}.
 */
abstract class AcksContract extends DeliveryStoreSection {

  @Test
  void aDeliveredNotificationIsAcknowledgedOnceThenAlreadyAcknowledged() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    assertThat(acks.stats(at(0))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));

    assertThat(acks.ack("alice", id, at(1))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
    assertThat(acks.ack("alice", id, at(2))).isEqualTo(Acks.Outcome.ALREADY_ACKNOWLEDGED);

    Acks.Stats stats = acks.stats(at(2));
    assertThat(stats.pending()).isZero();
    assertThat(stats.acknowledged()).isEqualTo(1);
    assertThat(stats.averageAckTimeMs()).isEqualTo(1000.0);
    // An acknowledged delivery never counts as expired.
    assertThat(acks.stats(at(0).plus(ACK_TIMEOUT).plusSeconds(1)).expired()).isZero();
  }

  @Test
  void anAckThatAcknowledgesTellsHowLongAfterItsDeliveryItCame() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    assertThat(acks.acknowledge("alice", id, at(3)))
        .isEqualTo(new Acks.Acked(Acks.Outcome.ACKNOWLEDGED, Optional.of(Duration.ofSeconds(3))));
    assertThat(acks.acknowledge("alice", id, at(4)).latency()).as("a second ACK").isEmpty();
    assertThat(acks.acknowledge("bob", id, at(4)).latency()).as("not bob's").isEmpty();
  }

  @Test
  void eachTenantsStatisticsCountItsOwnUsersDeliveriesAlone() {
    Acks acks = store().acks();
    Tenant acme = new Tenant("acme");
    UUID toAcme = UUID.randomUUID();
    UUID toDefault = UUID.randomUUID();
    UUID expiring = UUID.randomUUID();
    acks.delivered(acme.user("alice"), toAcme, at(0));
    acks.delivered("alice", toDefault, at(0));
    acks.delivered(acme.user("bob"), expiring, at(1));
    acks.ack(acme.user("alice"), toAcme, at(2));

    assertThat(acks.stats(acme, at(2))).isEqualTo(new Acks.Stats(1, 1, 0, 2000.0, 0));
    assertThat(acks.stats(Tenant.DEFAULT, at(2))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));
    assertThat(acks.stats(new Tenant("globex"), at(2))).isEqualTo(new Acks.Stats(0, 0, 0, 0, 0));
    assertThat(acks.stats(at(2))).as("all tenants").isEqualTo(new Acks.Stats(2, 1, 0, 2000.0, 0));
    Instant late = at(1).plus(ACK_TIMEOUT).plusSeconds(1);
    assertThat(acks.stats(acme, late).expired()).isEqualTo(1);
    assertThat(acks.stats(Tenant.DEFAULT, late).expired()).isEqualTo(1);
  }

  @Test
  void anAckFromAnotherUserIsUnknownAndChangesNothing() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    assertThat(acks.ack("bob", id, at(1))).isEqualTo(Acks.Outcome.UNKNOWN);

    assertThat(acks.stats(at(1))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));
    assertThat(acks.ack("alice", id, at(2))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }

  @Test
  void anAckOfANotificationNeverDeliveredIsUnknown() {
    Acks acks = store().acks();
    acks.delivered("alice", UUID.randomUUID(), at(0));

    assertThat(acks.ack("alice", UUID.randomUUID(), at(1))).isEqualTo(Acks.Outcome.UNKNOWN);
    assertThat(acks.stats(at(1))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));
  }

  @Test
  void aDeliveryNotAcknowledgedWithinTheTimeoutExpiresAndItsLateAckIsUnknown() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    Instant timeout = at(0).plus(ACK_TIMEOUT);

    assertThat(acks.stats(timeout.minusMillis(1))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));
    assertThat(acks.stats(timeout)).isEqualTo(new Acks.Stats(0, 0, 1, 0, 0));
    assertThat(acks.ack("alice", id, timeout.plusSeconds(1))).isEqualTo(Acks.Outcome.UNKNOWN);
    assertThat(acks.stats(timeout.plusSeconds(1))).isEqualTo(new Acks.Stats(0, 0, 1, 0, 0));
  }

  @Test
  void anAckJustBeforeTheTimeoutCounts() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    Instant late = at(0).plus(ACK_TIMEOUT).minusMillis(1);
    assertThat(acks.ack("alice", id, late)).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
    assertThat(acks.stats(late).averageAckTimeMs()).isEqualTo(ACK_TIMEOUT.toMillis() - 1.0);
  }

  @Test
  void theAverageAckTimeIsTakenFromTheInstantsGiven() {
    Acks acks = store().acks();
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID never = UUID.randomUUID();
    acks.delivered("alice", first, at(0));
    acks.delivered("bob", second, at(0));
    acks.delivered("carol", never, at(0));
    assertThat(acks.stats(at(0)).averageAckTimeMs()).isZero();

    acks.ack("alice", first, at(0).plusMillis(200));
    acks.ack("bob", second, at(0).plusMillis(600));
    acks.ack("bob", second, at(5)); // a repeat changes nothing

    Acks.Stats stats = acks.stats(at(6));
    assertThat(stats.averageAckTimeMs()).isEqualTo(400.0);
    assertThat(stats.acknowledged()).isEqualTo(2);
    assertThat(stats.pending()).isEqualTo(1);
  }

  @Test
  void deliveriesBeyondAcksMaxPendingAreUntrackedAndTheirAckIsUnknown() {
    Acks acks = store(limits().acksMaxPending(2)).acks();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    acks.delivered("alice", a, at(0));
    acks.delivered("alice", b, at(0));

    acks.delivered("alice", c, at(1));

    assertThat(acks.stats(at(1))).isEqualTo(new Acks.Stats(2, 0, 0, 0, 1));
    assertThat(acks.ack("alice", c, at(2))).isEqualTo(Acks.Outcome.UNKNOWN);
    assertThat(acks.ack("alice", a, at(2))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }

  @Test
  void roomForPendingDeliveriesComesBackWithAnAckOrATimeout() {
    Acks acks = store(limits().acksMaxPending(1)).acks();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    acks.delivered("alice", a, at(0));
    acks.ack("alice", a, at(1));

    acks.delivered("alice", b, at(2)); // room after a's ack
    Instant bTimedOut = at(2).plus(ACK_TIMEOUT);
    acks.delivered("alice", c, bTimedOut); // room after b's timeout

    assertThat(acks.stats(bTimedOut)).isEqualTo(new Acks.Stats(1, 1, 1, 1000.0, 0));
    assertThat(acks.ack("alice", c, bTimedOut.plusSeconds(1))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }

  @Test
  void aSecondDeliveryOfTheSameNotificationToTheSameUserIsIgnored() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    acks.delivered("alice", id, at(20)); // does not restart the timeout

    assertThat(acks.stats(at(20)).pending()).isEqualTo(1);
    assertThat(acks.stats(at(0).plus(ACK_TIMEOUT))).isEqualTo(new Acks.Stats(0, 0, 1, 0, 0));
    assertThat(acks.ack("alice", id, at(0).plus(ACK_TIMEOUT))).isEqualTo(Acks.Outcome.UNKNOWN);
  }

  @Test
  void aRepeatedDeliveryAfterTheAckDoesNotMakeItPendingAgain() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    acks.ack("alice", id, at(1));

    acks.delivered("alice", id, at(2));

    assertThat(acks.stats(at(2)).pending()).isZero();
    assertThat(acks.ack("alice", id, at(3))).isEqualTo(Acks.Outcome.ALREADY_ACKNOWLEDGED);
  }

  @Test
  void theSameNotificationDeliveredToTwoUsersWaitsForEachOfTheirAcks() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    acks.delivered("bob", id, at(0));

    assertThat(acks.ack("alice", id, at(1))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
    assertThat(acks.stats(at(1)).pending()).isEqualTo(1);
    assertThat(acks.ack("bob", id, at(2))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }
}
