package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.auth.Identity;
import dev.switchboard.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A connection's token expiry on a manual clock and timer: nothing sleeps, and time moves only when
 * a test says. Tokens here are issued at {@link #T0}; the leeway is 5 s.
 */
class TokenExpiryTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration LEEWAY = Duration.ofSeconds(5);

  private final MutableClock clock = new MutableClock(T0);
  private final ManualTimer timer = new ManualTimer(clock);
  private final AtomicInteger closed = new AtomicInteger();

  private TokenExpiry expiry(Identity identity) {
    return new TokenExpiry(identity, LEEWAY, clock, timer, closed::incrementAndGet);
  }

  private static Identity token(String user, Optional<String> tenant, Duration lifetime) {
    return new Identity(user, List.of(), tenant, Optional.of(T0.plus(lifetime)));
  }

  private static Identity alice(Duration lifetime) {
    return token("alice", Optional.empty(), lifetime);
  }

  @Test
  void theConnectionIsEndedAtExpPlusTheLeewayAndNotBefore() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();
    assertThat(expiry.deadline()).contains(T0.plusSeconds(65));

    timer.advance(Duration.ofSeconds(65).minusMillis(1));
    assertThat(closed).as("1 ms before exp + leeway").hasValue(0);

    timer.advance(Duration.ofMillis(1));
    assertThat(closed).as("at exp + leeway").hasValue(1);

    timer.advance(Duration.ofDays(1));
    assertThat(closed).as("the action runs once").hasValue(1);
    assertThat(timer.pending()).isZero();
  }

  @Test
  void aRefreshWithALaterExpPostponesTheEnd() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();
    timer.advance(Duration.ofSeconds(50));

    Identity fresh = alice(Duration.ofSeconds(300));
    assertThat(expiry.refresh(fresh)).isSameAs(fresh);
    assertThat(expiry.identity()).isSameAs(fresh);
    assertThat(expiry.deadline()).contains(T0.plusSeconds(305));

    timer.advance(Duration.ofSeconds(100)); // well past the first deadline (65 s)
    assertThat(closed).hasValue(0);
    assertThat(timer.pending()).as("the first deadline's task was cancelled").isOne();

    timer.advance(Duration.ofSeconds(155)); // 305 s
    assertThat(closed).hasValue(1);
  }

  @Test
  void theFreshTokenGovernsEvenWhenItExpiresSooner() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(600)));
    expiry.start();

    expiry.refresh(alice(Duration.ofSeconds(60)));

    timer.advance(Duration.ofSeconds(65));
    assertThat(closed).hasValue(1);
  }

  @Test
  void anotherUsersTokenIsRefusedAndTheExpiryStaysAsItWas() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();

    assertThatThrownBy(() -> expiry.refresh(token("bob", Optional.empty(), Duration.ofHours(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the token is for user 'bob', but this connection belongs to user 'alice'");

    assertThat(expiry.identity().userId()).isEqualTo("alice");
    assertThat(expiry.deadline()).contains(T0.plusSeconds(65));
    timer.advance(Duration.ofSeconds(65));
    assertThat(closed).hasValue(1);
  }

  @Test
  void anotherTenantsTokenIsRefusedAndTheExpiryStaysAsItWas() {
    TokenExpiry expiry = expiry(token("alice", Optional.of("acme"), Duration.ofSeconds(60)));
    expiry.start();

    assertThatThrownBy(
            () -> expiry.refresh(token("alice", Optional.of("globex"), Duration.ofHours(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the token is for tenant 'globex', but this connection belongs to tenant 'acme'");
    assertThatThrownBy(() -> expiry.refresh(alice(Duration.ofHours(1))))
        .as("a token without tenant_id for a connection with one")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the token is for tenant (none), but this connection belongs to tenant 'acme'");

    timer.advance(Duration.ofSeconds(65));
    assertThat(closed).hasValue(1);
  }

  @Test
  void aTokenWithATenantIsRefusedOnAConnectionWithout() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();

    assertThatThrownBy(
            () -> expiry.refresh(token("alice", Optional.of("acme"), Duration.ofHours(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the token is for tenant 'acme', but this connection belongs to tenant (none)");
    assertThat(expiry.deadline()).contains(T0.plusSeconds(65));
  }

  @Test
  void theSameTenantOnBothIsTheSameIdentity() {
    TokenExpiry expiry = expiry(token("alice", Optional.of("acme"), Duration.ofSeconds(60)));
    expiry.start();

    expiry.refresh(token("alice", Optional.of("acme"), Duration.ofSeconds(600)));

    assertThat(expiry.deadline()).contains(T0.plusSeconds(605));
  }

  @Test
  void anIdentityWithoutExpNeverExpires() {
    TokenExpiry expiry = expiry(Identity.anonymous("anonymous-1"));
    expiry.start();

    assertThat(expiry.deadline()).isEmpty();
    assertThat(timer.pending()).isZero();
    timer.advance(Duration.ofDays(3650));
    assertThat(closed).hasValue(0);
  }

  @Test
  void aFreshTokenWithoutExpEndsTheExpiry() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();

    expiry.refresh(new Identity("alice", List.of(), Optional.empty(), Optional.empty()));

    assertThat(expiry.deadline()).isEmpty();
    assertThat(timer.pending()).isZero();
    timer.advance(Duration.ofDays(1));
    assertThat(closed).hasValue(0);
  }

  @Test
  void cancelStopsTheTimerAndLaterRefreshesAreRefused() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();

    expiry.cancel();
    expiry.cancel(); // idempotent

    assertThat(timer.pending()).isZero();
    timer.advance(Duration.ofDays(1));
    assertThat(closed).hasValue(0);
    assertThatThrownBy(() -> expiry.refresh(alice(Duration.ofDays(2))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the connection is closed");
  }

  @Test
  void aConnectionClosedBeforeStartNeverArmsTheTimer() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.cancel();

    expiry.start();

    assertThat(timer.pending()).isZero();
  }

  @Test
  void aRefreshAfterTheEndIsRefused() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();
    timer.advance(Duration.ofSeconds(65));

    assertThatThrownBy(() -> expiry.refresh(alice(Duration.ofHours(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "too late: the token expired at 2026-12-01T10:01:00Z and the connection is closing");
    assertThat(timer.pending()).isZero();
    assertThat(closed).hasValue(1);
  }

  @Test
  void aDeadlineAlreadyPassedAtStartEndsTheConnectionAtOnce() {
    clock.set(T0.plusSeconds(70));
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();

    assertThat(timer.delays()).containsExactly(Duration.ZERO);
    timer.advance(Duration.ZERO);
    assertThat(closed).hasValue(1);
  }

  @Test
  void aFarDeadlineIsReachedInStepsOfAtMostMaxWait() {
    TokenExpiry expiry = expiry(alice(Duration.ofDays(30)));
    expiry.start();

    assertThat(timer.delays()).containsExactly(TokenExpiry.MAX_WAIT);
    timer.advance(Duration.ofDays(30));
    assertThat(closed).hasValue(0);
    timer.advance(LEEWAY);
    assertThat(closed).hasValue(1);
  }

  @Test
  void aTimerThatFiresBeforeTheClockReachesTheDeadlineWaitsAgain() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();
    clock.set(T0.plusSeconds(64)); // the timer's own time ran ahead of the clock

    timer.runAllNow();

    assertThat(closed).hasValue(0);
    assertThat(timer.delays()).containsExactly(Duration.ofSeconds(1));
    timer.advance(Duration.ofSeconds(1));
    assertThat(closed).hasValue(1);
  }

  @Test
  void aTaskThatFiresAfterBeingReplacedByARefreshDoesNothing() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();
    Runnable stale = timer.tasks().getFirst();

    expiry.refresh(alice(Duration.ofSeconds(600)));
    clock.set(T0.plusSeconds(100));
    stale.run(); // it was already running on the event loop when the refresh cancelled it

    assertThat(closed).hasValue(0);
    assertThat(expiry.deadline()).contains(T0.plusSeconds(605));
  }

  @Test
  void theActionRunsOnceEvenWhenTheTimerRunsATaskTwice() {
    TokenExpiry expiry = expiry(alice(Duration.ofSeconds(60)));
    expiry.start();
    Runnable task = timer.tasks().getFirst();
    clock.set(T0.plusSeconds(65));

    task.run();
    task.run();

    assertThat(closed).hasValue(1);
  }

  @Test
  void argumentsAreChecked() {
    Identity alice = alice(Duration.ofSeconds(60));
    assertThatThrownBy(() -> new TokenExpiry(alice, Duration.ofSeconds(-1), clock, timer, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leeway must not be negative, got PT-1S");
    assertThatThrownBy(() -> new TokenExpiry(null, LEEWAY, clock, timer, () -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("identity");
    TokenExpiry expiry = expiry(alice);
    expiry.start();
    assertThatThrownBy(expiry::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("already started");
    assertThatThrownBy(() -> expiry.refresh(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fresh");
  }

  /**
   * Runs tasks when {@link #advance} moves {@link MutableClock} past their time; single-threaded.
   */
  static final class ManualTimer implements TokenExpiry.Timer {
    private record Task(Instant due, Duration delay, Runnable action) {}

    private final MutableClock clock;
    private final List<Task> tasks = new ArrayList<>();

    ManualTimer(MutableClock clock) {
      this.clock = clock;
    }

    @Override
    public Runnable schedule(Duration delay, Runnable action) {
      assertThat(delay.isNegative()).as("a negative delay " + delay).isFalse();
      Task task = new Task(clock.instant().plus(delay), delay, action);
      tasks.add(task);
      return () -> tasks.remove(task);
    }

    /**
     * Moves the clock on by {@code by}, running each task that falls due on the way, at its time.
     */
    void advance(Duration by) {
      Instant until = clock.instant().plus(by);
      while (true) {
        Optional<Task> next =
            tasks.stream()
                .filter(t -> !t.due().isAfter(until))
                .min(Comparator.comparing(Task::due));
        if (next.isEmpty()) {
          break;
        }
        tasks.remove(next.get());
        if (next.get().due().isAfter(clock.instant())) {
          clock.set(next.get().due());
        }
        next.get().action().run();
      }
      clock.set(until);
    }

    /** Runs every pending task now, whatever the clock says. */
    void runAllNow() {
      List<Task> due = List.copyOf(tasks);
      tasks.clear();
      due.forEach(t -> t.action().run());
    }

    int pending() {
      return tasks.size();
    }

    List<Duration> delays() {
      return tasks.stream().map(Task::delay).toList();
    }

    List<Runnable> tasks() {
      return tasks.stream().map(Task::action).toList();
    }
  }
}
