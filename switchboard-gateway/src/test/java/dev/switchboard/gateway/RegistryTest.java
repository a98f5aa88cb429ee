package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.LimitExceededException.Limit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Devices are reserved, activated and closed; the registry indexes them by user and channel within
 * its limits.
 */
class RegistryTest {

  private final Registry registry = new Registry(new RegistryLimits(10, 3, 3));

  private FakeDevice connect(String id, String userId) {
    FakeDevice device = new FakeDevice(id, userId);
    registry.reserve(userId).activate(device);
    return device;
  }

  @Test
  void aReservedPlaceIsNotFindableUntilActivated() {
    Registry.Reservation reservation = registry.reserve("alice");
    FakeDevice phone = new FakeDevice("phone", "alice");

    assertThat(reservation.userId()).isEqualTo("alice");
    assertThat(registry.devicesOf("alice")).isEmpty();
    assertThat(registry.connectionCount()).isZero();

    reservation.activate(phone);

    assertThat(registry.devicesOf("alice")).containsExactly(phone);
    assertThat(registry.devices()).containsExactly(phone);
    assertThat(registry.connectionCount()).isEqualTo(1);
    assertThat(registry.userCount()).isEqualTo(1);
    assertThat(registry.subscriptionsOf("alice")).hasValue(java.util.Set.of());
  }

  @Test
  void closingRemovesTheDeviceFromEveryIndex() {
    Registry.Reservation reservation = registry.reserve("alice");
    FakeDevice phone = new FakeDevice("phone", "alice");
    reservation.activate(phone);
    FakeDevice laptop = connect("laptop", "alice");
    registry.subscribe(phone, List.of("news", "sports"));
    registry.subscribe(laptop, List.of("news"));

    reservation.close();

    assertThat(registry.devicesOf("alice")).containsExactly(laptop);
    assertThat(registry.devices()).containsExactly(laptop);
    assertThat(registry.subscribers("news")).containsExactly(laptop);
    assertThat(registry.subscribers("sports")).isEmpty();
    assertThat(registry.channels()).containsExactly(Map.entry("news", 1));
    assertThat(registry.channelCount()).isEqualTo(1);
    assertThat(registry.channelsOf(phone)).isEmpty();
    assertThatThrownBy(() -> registry.subscribe(phone, List.of("news")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("device phone is not connected");
  }

  @Test
  void closingTheLastDeviceOfAUserForgetsTheUser() {
    Registry.Reservation reservation = registry.reserve("alice");
    reservation.activate(new FakeDevice("phone", "alice"));

    reservation.close();

    assertThat(registry.devicesOf("alice")).isEmpty();
    assertThat(registry.userCount()).isZero();
    assertThat(registry.connectionCount()).isZero();
    assertThat(registry.subscriptionsOf("alice")).isEmpty();
  }

  @Test
  void closeIsIdempotentAndFreesThePlaceOnce() {
    Registry small = new Registry(new RegistryLimits(2, 2, 1));
    Registry.Reservation first = small.reserve("alice");
    small.reserve("bob");

    first.close();
    first.close();

    small.reserve("carol");
    assertThatThrownBy(() -> small.reserve("dave"))
        .isInstanceOfSatisfying(
            LimitExceededException.class, e -> assertThat(e.limit()).isEqualTo(Limit.CONNECTIONS));
  }

  @Test
  void aReservationIsActivatedOnlyOnce() {
    Registry.Reservation reservation = registry.reserve("alice");
    reservation.activate(new FakeDevice("phone", "alice"));

    assertThatThrownBy(() -> reservation.activate(new FakeDevice("laptop", "alice")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("reservation of alice already used");
    assertThat(registry.devicesOf("alice")).extracting(Device::id).containsExactly("phone");
  }

  @Test
  void aClosedReservationCannotBeActivated() {
    Registry.Reservation reservation = registry.reserve("alice");
    reservation.close();

    assertThatThrownBy(() -> reservation.activate(new FakeDevice("phone", "alice")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(registry.devices()).isEmpty();
  }

  @Test
  void aDeviceOfAnotherUserCannotTakeTheReservation() {
    Registry.Reservation reservation = registry.reserve("alice");

    assertThatThrownBy(() -> reservation.activate(new FakeDevice("phone", "mallory")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("device of user mallory activates a place of alice");
    assertThat(registry.devices()).isEmpty();
    assertThat(registry.devicesOf("mallory")).isEmpty();
    assertThat(registry.devicesOf("alice")).isEmpty();
  }

  @Test
  void anInvalidUserIdCannotReserve() {
    assertThatThrownBy(() -> registry.reserve(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subscribeReturnsTheChannelsInOrderWithoutDuplicates() {
    FakeDevice phone = connect("phone", "alice");
    registry.subscribe(phone, List.of("news"));

    assertThat(registry.subscribe(phone, List.of("sports", "news", "sports")))
        .containsExactly("sports", "news");
    assertThat(registry.channelsOf(phone)).containsExactly("news", "sports");
    assertThat(registry.subscribers("sports")).containsExactly(phone);
  }

  @Test
  void anInvalidChannelNameSubscribesToNoneOfTheChannels() {
    FakeDevice phone = connect("phone", "alice");

    assertThatThrownBy(() -> registry.subscribe(phone, List.of("news", "not valid", "sports")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"not valid\"");
    assertThat(registry.channelsOf(phone)).isEmpty();
    assertThat(registry.channels()).isEmpty();
  }

  @Test
  void anEmptyChannelListIsRejected() {
    FakeDevice phone = connect("phone", "alice");

    assertThatThrownBy(() -> registry.subscribe(phone, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channels must not be empty");
    assertThatThrownBy(() -> registry.unsubscribe(phone, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channels must not be empty");
  }

  @Test
  void aDeviceNeverActivatedCannotSubscribe() {
    assertThatThrownBy(() -> registry.subscribe(new FakeDevice("ghost", "alice"), List.of("news")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("device ghost is not connected");
  }

  @Test
  void unsubscribeLeavesTheChannelsAndForgetsEmptyOnes() {
    FakeDevice phone = connect("phone", "alice");
    FakeDevice laptop = connect("laptop", "bob");
    registry.subscribe(phone, List.of("news", "sports", "weather"));
    registry.subscribe(laptop, List.of("news"));

    assertThat(registry.unsubscribe(phone, List.of("news", "sports", "never-joined")))
        .containsExactly("news", "sports", "never-joined");

    assertThat(registry.channelsOf(phone)).containsExactly("weather");
    assertThat(registry.subscribers("news")).containsExactly(laptop);
    assertThat(registry.channels()).containsExactly(Map.entry("news", 1), Map.entry("weather", 1));
    assertThat(registry.channelCount()).isEqualTo(2);
  }

  @Test
  void channelsListsEveryChannelWithItsSubscriberCountByName() {
    FakeDevice phone = connect("phone", "alice");
    FakeDevice laptop = connect("laptop", "bob");
    registry.subscribe(phone, List.of("weather", "news"));
    registry.subscribe(laptop, List.of("news"));

    assertThat(registry.channels()).containsExactly(Map.entry("news", 2), Map.entry("weather", 1));
    assertThat(registry.channelsOf(phone)).containsExactly("news", "weather");
    assertThat(registry.channelsOf(new FakeDevice("ghost", "alice"))).isEmpty();
  }

  @Test
  void subscriptionsOfAUserUniteItsDevicesAndAreEmptyWhenNotConnected() {
    FakeDevice phone = connect("phone", "alice");
    FakeDevice laptop = connect("laptop", "alice");
    registry.subscribe(phone, List.of("sports", "news"));
    registry.subscribe(laptop, List.of("weather", "news"));

    assertThat(registry.subscriptionsOf("alice"))
        .hasValueSatisfying(
            channels -> assertThat(channels).containsExactly("news", "sports", "weather"));
    assertThat(registry.subscriptionsOf("nobody")).isEmpty();
  }

  @Test
  void lookupsOfUnknownNamesAreEmpty() {
    assertThat(registry.devicesOf("nobody")).isEmpty();
    assertThat(registry.subscribers("nothing")).isEmpty();
    assertThat(registry.channels()).isEmpty();
  }

  @Test
  void lookupsCannotChangeTheRegistry() {
    FakeDevice phone = connect("phone", "alice");
    registry.subscribe(phone, List.of("news"));

    assertThatThrownBy(() -> registry.devices().remove(phone))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> registry.devicesOf("alice").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> registry.subscribers("news").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(registry.devices()).containsExactly(phone);
  }
}
