package dev.switchboard.gateway;

import static dev.switchboard.gateway.DeliveryStoreSection.limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryStore} does, wherever it keeps its state: channel streams and user
 * inboxes give offsets 1, 2, 3 within an epoch and recover exactly what follows a position or say
 * they cannot; inbox entries are owed until done; every structure keeps to its {@link
 * DeliveryLimits} and forgets at its TTL; ACKs and idempotency keys answer as their interfaces say.
 *
 * <p>A subclass makes an empty store ({@link #store}) and so runs the whole suite: the test here
 * and, in one {@link Nested} class each, the sections {@link ChannelHistoryContract}, {@link
 * InboxesContract}, {@link AcksContract}, {@link IdempotencyKeysContract} and {@link
 * DeliveryStoreConcurrencyContract}, whose stores come from this class's {@link #store}. A
 * subclass's {@code @BeforeAll} and {@code @BeforeEach}/{@code @AfterEach} methods run around the
 * nested sections' tests too. Time is only ever the {@code now} each call is given, from {@link
 * #START} on, in whole milliseconds; nothing sleeps, and every wait on another thread is bounded.
 */
public abstract class DeliveryStoreContract {

  /** The time every test starts at. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * An empty store bounded by {@code limits}, sharing nothing with any other store made by this
   * suite (a shared engine gives each its own key prefix, say). Called once or more in each test.
   */
  protected abstract DeliveryStore store(DeliveryLimits limits);

  @Test
  void theStoreReportsTheLimitsItWasMadeWith() {
    DeliveryLimits limits = limits().historySize(7).queueMaxUsers(9).build();

    assertThat(store(limits).limits()).isEqualTo(limits);
  }

  @Nested
  class ChannelHistoryTests extends ChannelHistoryContract {
    @Override
    protected DeliveryStore store(DeliveryLimits limits) {
      return DeliveryStoreContract.this.store(limits);
    }
  }

  @Nested
  class InboxesTests extends InboxesContract {
    @Override
    protected DeliveryStore store(DeliveryLimits limits) {
      return DeliveryStoreContract.this.store(limits);
    }
  }

  @Nested
  class AcksTests extends AcksContract {
    @Override
    protected DeliveryStore store(DeliveryLimits limits) {
      return DeliveryStoreContract.this.store(limits);
    }
  }

  @Nested
  class IdempotencyKeysTests extends IdempotencyKeysContract {
    @Override
    protected DeliveryStore store(DeliveryLimits limits) {
      return DeliveryStoreContract.this.store(limits);
    }
  }

  @Nested
  class ConcurrencyTests extends DeliveryStoreConcurrencyContract {
    @Override
    protected DeliveryStore store(DeliveryLimits limits) {
      return DeliveryStoreContract.this.store(limits);
    }
  }
}
