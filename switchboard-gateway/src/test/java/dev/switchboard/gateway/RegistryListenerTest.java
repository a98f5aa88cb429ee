package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A registry tells its listener of each change once made, only of what changed, and a listener that
 * fails changes nothing.
 */
class RegistryListenerTest {

  private final Registry registry = new Registry(new RegistryLimits(10, 3, 3));
  private final List<String> told = new CopyOnWriteArrayList<>();

  /** Writes each event as a line, and checks that the registry shows the change already. */
  private final RegistryListener recorder =
      new RegistryListener() {
        @Override
        public void onConnected(Device device) {
          assertThat(registry.devices()).contains(device);
          told.add("connected " + device.id());
        }

        @Override
        public void onDisconnected(Device device, Set<String> channels) {
          assertThat(registry.devices()).doesNotContain(device);
          told.add("disconnected " + device.id() + " " + channels);
        }

        @Override
        public void onSubscribed(Device device, List<String> channels) {
          assertThat(registry.channelsOf(device)).containsAll(channels);
          told.add("subscribed " + device.id() + " " + channels);
        }

        @Override
        public void onUnsubscribed(Device device, List<String> channels) {
          assertThat(registry.channelsOf(device)).doesNotContainAnyElementsOf(channels);
          told.add("unsubscribed " + device.id() + " " + channels);
        }
      };

  @Test
  void everyChangeIsToldOnceMadeWithWhatChanged() {
    registry.listen(recorder);
    Registry.Reservation place = registry.reserve("alice");
    FakeDevice phone = new FakeDevice("phone", "alice");

    place.activate(phone);
    registry.subscribe(phone, List.of("sports", "news"));
    registry.subscribe(phone, List.of("news", "weather"));
    registry.unsubscribe(phone, List.of("sports", "chess"));
    place.close();
    place.close();

    assertThat(told)
        .containsExactly(
            "connected phone",
            "subscribed phone [sports, news]",
            "subscribed phone [weather]",
            "unsubscribed phone [sports]",
            "disconnected phone [news, weather]");
  }

  @Test
  void changesThatChangeNothingAreNotTold() {
    registry.listen(recorder);
    FakeDevice phone = new FakeDevice("phone", "alice");
    registry.reserve("alice").activate(phone);
    registry.subscribe(phone, List.of("news"));
    told.clear();

    registry.subscribe(phone, List.of("news"));
    registry.unsubscribe(phone, List.of("sports"));
    registry.reserve("bob").close();

    assertThat(told).isEmpty();
  }

  @Test
  void aListenerThatThrowsChangesNothingForTheRegistrysCaller() {
    registry.listen(
        new RegistryListener() {
          @Override
          public void onSubscribed(Device device, List<String> channels) {
            throw new IllegalStateException("a bug in the listener");
          }
        });
    FakeDevice phone = new FakeDevice("phone", "alice");
    registry.reserve("alice").activate(phone);

    assertThat(registry.subscribe(phone, List.of("news"))).containsExactly("news");

    assertThat(registry.channels()).containsExactly(Map.entry("news", 1));
  }

  @Test
  void aRegistryHasOneListener() {
    registry.listen(recorder);

    assertThatThrownBy(() -> registry.listen(new RegistryListener() {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the registry has a listener already");
  }
}
