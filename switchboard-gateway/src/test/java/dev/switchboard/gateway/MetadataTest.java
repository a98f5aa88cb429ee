package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.jsonrpc.Encoding;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metadata is validated when made; priorities parse in any case and decide what a slow device may
 * lose.
 */
class MetadataTest {

  @Test
  void ofGivesNormalPriorityWithoutTtlOrCorrelationId() {
    Metadata metadata = Metadata.of("api");

    assertThat(metadata.source()).isEqualTo("api");
    assertThat(metadata.priority()).isEqualTo(Priority.NORMAL);
    assertThat(metadata.ttlSeconds()).isEmpty();
    assertThat(metadata.correlationId()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void aTtlThatIsNotPositiveIsRejectedNamingIt(long ttl) {
    assertThatThrownBy(
            () -> new Metadata("api", Priority.LOW, OptionalLong.of(ttl), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl must be a positive number of seconds")
        .hasMessageEndingWith("got " + ttl);
  }

  @Test
  void aTtlOfOneSecondIsAccepted() {
    assertThat(new Metadata("api", Priority.LOW, OptionalLong.of(1), Optional.empty()).ttlSeconds())
        .hasValue(1);
  }

  @Test
  void aCorrelationIdOfMoreThan256CharactersIsRejectedWithItsLength() {
    String longest = "c".repeat(256);
    assertThat(
            new Metadata("api", Priority.LOW, OptionalLong.empty(), Optional.of(longest))
                .correlationId())
        .hasValue(longest);

    assertThatThrownBy(
            () ->
                new Metadata(
                    "api", Priority.LOW, OptionalLong.empty(), Optional.of("c".repeat(257))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation_id must be at most 256 characters")
        .hasMessageEndingWith("got 257");
  }

  @Test
  void missingPartsAreRejectedByName() {
    assertThatThrownBy(
            () -> new Metadata(null, Priority.LOW, OptionalLong.empty(), Optional.empty()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("source");
    assertThatThrownBy(() -> new Metadata("api", null, OptionalLong.empty(), Optional.empty()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("priority");
  }

  @ParameterizedTest
  @CsvSource({
    "low, LOW",
    "LOW, LOW",
    "Low, LOW",
    "normal, NORMAL",
    "NoRmAl, NORMAL",
    "high, HIGH",
    "HIGH, HIGH",
    "critical, CRITICAL",
    "cRiTiCaL, CRITICAL"
  })
  void priorityParsesInAnyLetterCase(String text, Priority expected) {
    assertThat(Priority.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"urgent", "", " low", "Normal ", "0"})
  void anUnknownPriorityIsRejectedListingTheAllowedOnes(String text) {
    assertThatThrownBy(() -> Priority.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Low, Normal, High, Critical")
        .hasMessageContaining("\"" + text + "\"");
  }

  @ParameterizedTest
  @EnumSource(Priority.class)
  void everyWireNameParsesBackToItsPriority(Priority priority) {
    assertThat(Priority.parse(priority.wireName())).isEqualTo(priority);
  }

  @Test
  void onlyLowAndNormalNotificationsMayBeDropped() {
    assertThat(Priority.LOW.droppable()).isTrue();
    assertThat(Priority.NORMAL.droppable()).isTrue();
    assertThat(Priority.HIGH.droppable()).isFalse();
    assertThat(Priority.CRITICAL.droppable()).isFalse();

    byte[] bytes = {1, 2, 3};
    assertThat(Outgoing.notification(bytes, Priority.LOW).droppable()).isTrue();
    assertThat(Outgoing.notification(bytes, Priority.NORMAL).droppable()).isTrue();
    assertThat(Outgoing.notification(bytes, Priority.HIGH).droppable()).isFalse();
    assertThat(Outgoing.notification(bytes, Priority.CRITICAL).droppable()).isFalse();
    assertThat(Outgoing.rpc(Encoding.JSON, bytes).droppable()).isFalse();
    assertThat(Outgoing.rpc(Encoding.MSGPACK, bytes).droppable()).isFalse();
  }

  @Test
  void aNotificationIsJsonAndCarriesItsPriority() {
    Outgoing message = Outgoing.notification(new byte[7], Priority.HIGH);

    assertThat(message.encoding()).isEqualTo(Encoding.JSON);
    assertThat(message.priority()).hasValue(Priority.HIGH);
    assertThat(message.size()).isEqualTo(7);
    assertThat(Outgoing.rpc(Encoding.MSGPACK, new byte[3]).priority()).isEmpty();
  }
}
