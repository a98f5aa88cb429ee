package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The presence contract on the embedded default: this node's registry, read as it changes. */
class InMemoryPresenceTest extends PresenceContract {

  @Override
  protected Presence node(Registry local) {
    return Presence.inMemory(local);
  }

  @Override
  protected boolean sharedBetweenNodes() {
    return false;
  }

  @Test
  void aUsersChannelsAreACopyNobodyCanChange() {
    Registry registry = new Registry(RegistryLimits.DEFAULTS);
    FakeDevice phone = new FakeDevice("phone", "alice");
    registry.reserve("alice").activate(phone);
    registry.subscribe(phone, List.of("news"));
    Presence.User alice = Presence.inMemory(registry).user("alice").orElseThrow();

    registry.subscribe(phone, List.of("sports"));

    assertThat(alice.channels()).containsExactly("news");
    assertThatThrownBy(() -> alice.channels().add("chess"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aPresentUserHasAConnection() {
    Set<String> none = new TreeSet<>();

    assertThatThrownBy(() -> new Presence.User("alice", 0, new TreeSet<>(none)))
        .hasMessage("a present user has at least 1 connection, got 0");
  }
}
