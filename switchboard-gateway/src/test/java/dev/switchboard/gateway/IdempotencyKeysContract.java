package dev.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.IdempotencyKeys.Claim;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdempotencyKeys} does: the first claim of a key is the caller's, a repeat is
 * told the send is in progress or gets the same answer, another request under the key is a
 * mismatch; a key is kept for the TTL unless released, and beyond the key bound a new key is
 * refused. Run by {@link DeliveryStoreContract}.
 */
abstract class IdempotencyKeysContract extends DeliveryStoreSection {

  @Test
  void aFirstClaimOfAKeyIsTheCallers() {
    IdempotencyKeys keys = store().idempotency();

    assertThat(keys.claim("k1", "f1", at(0))).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.size(at(0))).isEqualTo(1);
  }

  @Test
  void aRepeatWhileTheFirstSendIsInProgressIsToldSo() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));

    assertThat(keys.claim("k1", "f1", at(1))).isInstanceOf(Claim.InProgress.class);
    assertThat(keys.claim("k1", "f1", at(2))).isInstanceOf(Claim.InProgress.class);
  }

  @Test
  void aRepeatAfterCompletionIsAnsweredWithTheSameBytes() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));
    byte[] answer = bytes("{\"id\":\"n-1\",\"delivered_to\":2}");

    keys.complete("k1", answer, at(1));
    answer[0] = 'X'; // the caller's array is not the one kept

    for (int i = 0; i < 2; i++) {
      Claim repeat = keys.claim("k1", "f1", at(2 + i));
      assertThat(repeat).isInstanceOf(Claim.Answered.class);
      byte[] got = ((Claim.Answered) repeat).answer();
      assertThat(new String(got, UTF_8)).isEqualTo("{\"id\":\"n-1\",\"delivered_to\":2}");
      got[0] = 'Y'; // nor is the one a repeat gets
    }
  }

  @Test
  void theSameKeyForAnotherRequestIsAMismatchInProgressOrAnswered() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));

    assertThat(keys.claim("k1", "f2", at(1))).isInstanceOf(Claim.Mismatch.class);
    keys.complete("k1", bytes("answer"), at(2));
    assertThat(keys.claim("k1", "f2", at(3))).isInstanceOf(Claim.Mismatch.class);
    assertThat(keys.claim("k1", "f1", at(4))).isInstanceOf(Claim.Answered.class);
  }

  @Test
  void aReleasedKeyIsTheNextClaimersAgain() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));

    keys.release("k1");

    assertThat(keys.size(at(1))).isZero();
    assertThat(keys.claim("k1", "f2", at(1))).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.claim("k1", "f2", at(2))).isInstanceOf(Claim.InProgress.class);
  }

  @Test
  void anAnsweredKeyIsKeptForTheTtlThenCanBeClaimedAgain() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));
    keys.complete("k1", bytes("answer"), at(0));
    Instant expiry = at(0).plus(IDEMPOTENCY_TTL);

    assertThat(keys.claim("k1", "f1", expiry.minusMillis(1))).isInstanceOf(Claim.Answered.class);
    assertThat(keys.size(expiry.minusMillis(1))).isEqualTo(1);
    assertThat(keys.size(expiry)).isZero();
    assertThat(keys.claim("k1", "f2", expiry)).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void aClaimNeverCompletedIsFreedAfterTheTtl() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));
    Instant expiry = at(0).plus(IDEMPOTENCY_TTL);

    assertThat(keys.claim("k1", "f1", expiry.minusMillis(1))).isInstanceOf(Claim.InProgress.class);
    assertThat(keys.claim("k1", "f1", expiry)).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void beyondIdempotencyMaxKeysANewKeyIsRefusedWhileTheKeptOnesStillAnswer() {
    IdempotencyKeys keys = store(limits().idempotencyMaxKeys(2)).idempotency();
    keys.claim("k1", "f1", at(0));
    keys.complete("k1", bytes("one"), at(0));
    keys.claim("k2", "f2", at(0));

    assertThat(keys.claim("k3", "f3", at(1))).isInstanceOf(Claim.Full.class);
    assertThat(keys.size(at(1))).isEqualTo(2);
    assertThat(keys.claim("k1", "f1", at(1))).isInstanceOf(Claim.Answered.class);
    assertThat(keys.claim("k2", "f2", at(1))).isInstanceOf(Claim.InProgress.class);
    assertThat(keys.claim("k1", "other", at(1))).isInstanceOf(Claim.Mismatch.class);
  }

  @Test
  void roomForKeysComesBackWhenKeysExpireOrAreReleased() {
    IdempotencyKeys keys = store(limits().idempotencyMaxKeys(2)).idempotency();
    keys.claim("k1", "f1", at(0));
    keys.claim("k2", "f2", at(10));
    assertThat(keys.claim("k3", "f3", at(20))).isInstanceOf(Claim.Full.class);

    keys.release("k2");
    assertThat(keys.claim("k3", "f3", at(21))).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.claim("k4", "f4", at(22))).isInstanceOf(Claim.Full.class);

    Instant k1Expired = at(0).plus(IDEMPOTENCY_TTL);
    assertThat(keys.claim("k4", "f4", k1Expired)).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.size(k1Expired)).isEqualTo(2);
  }

  @Test
  void sizeCountsClaimedAndAnsweredKeysStillInTheirWindow() {
    IdempotencyKeys keys = store().idempotency();
    assertThat(keys.size(at(0))).isZero();
    keys.claim("k1", "f1", at(0));
    keys.claim("k2", "f2", at(0));
    keys.complete("k2", bytes("two"), at(0));
    keys.claim("k3", "f3", at(100));

    assertThat(keys.size(at(100))).isEqualTo(3);
    assertThat(keys.size(at(0).plus(IDEMPOTENCY_TTL))).isEqualTo(1);
    assertThat(keys.size(at(100).plus(IDEMPOTENCY_TTL))).isZero();
  }
}
