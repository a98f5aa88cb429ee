package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The delivery store contract on the embedded default, which forgets everything on restart. */
class InMemoryDeliveryStoreTest extends DeliveryStoreContract {

  @Override
  protected DeliveryStore store(DeliveryLimits limits) {
    return DeliveryStore.inMemory(limits);
  }

  @Test
  void aRestartedStoreGivesEveryStreamANewEpochAndStartsItsOffsetsOver() {
    DeliveryStore before = store(DeliveryLimits.DEFAULTS);
    Position channel = before.channels().append("news", UUID.randomUUID(), new byte[] {1}, START);
    Position inbox =
        before
            .inboxes()
            .append("alice", UUID.randomUUID(), new byte[] {1}, START.plusSeconds(600), START);

    DeliveryStore after = store(DeliveryLimits.DEFAULTS);

    Instant now = START.plusSeconds(1);
    Position channelAfter = after.channels().position("news", now);
    Position inboxAfter = after.inboxes().position("alice", now);
    assertThat(channelAfter.offset()).isZero();
    assertThat(channelAfter.epoch()).isNotEqualTo(channel.epoch());
    assertThat(after.channels().since("news", 1, channel.epoch(), now).recovered()).isFalse();
    assertThat(inboxAfter.offset()).isZero();
    assertThat(inboxAfter.epoch()).isNotEqualTo(inbox.epoch());
    assertThat(after.inboxes().since("alice", 1, inbox.epoch(), now).recovered()).isFalse();
  }

  @Test
  void anEpochIsEightCharactersOfDigitsAndLowerCaseLetters() {
    String epoch = store(DeliveryLimits.DEFAULTS).channels().position("news", START).epoch();

    assertThat(epoch).matches("[0-9a-z]{8}");
  }
}
