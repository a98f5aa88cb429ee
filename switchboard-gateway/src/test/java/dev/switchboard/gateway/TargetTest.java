package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Targets validate their names, drop duplicates keeping the first, and describe themselves by kind
 * and key.
 */
class TargetTest {

  @Test
  void usersDropDuplicatesKeepingTheFirstOccurrence() {
    Target.Users users = new Target.Users(List.of("bob", "alice", "bob", "carol", "alice"));

    assertThat(users.userIds()).containsExactly("bob", "alice", "carol");
  }

  @Test
  void channelsDropDuplicatesKeepingTheFirstOccurrence() {
    Target.Channels channels =
        new Target.Channels(List.of("news", "sports", "news", "weather", "sports"));

    assertThat(channels.names()).containsExactly("news", "sports", "weather");
  }

  @Test
  void emptyListsAreRejected() {
    assertThatThrownBy(() -> new Target.Users(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target_user_ids must not be empty");
    assertThatThrownBy(() -> new Target.Channels(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channels must not be empty");
  }

  @Test
  void missingListsAreRejectedByName() {
    assertThatThrownBy(() -> new Target.Users(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("target_user_ids");
    assertThatThrownBy(() -> new Target.Channels(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("channels");
  }

  @Test
  void anInvalidNameInAListIsRejectedNamingIt() {
    assertThatThrownBy(() -> new Target.Channels(List.of("news", "bad name")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"bad name\"");
    assertThatThrownBy(() -> new Target.Users(List.of("alice", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid user id \" \"");
  }

  @Test
  void singleTargetsValidateTheirName() {
    assertThatThrownBy(() -> new Target.Channel("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"a/b\"");
    assertThatThrownBy(() -> new Target.User(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid user id \"\"");
  }

  @Test
  void listsAreCopiedAndReadOnly() {
    List<String> ids = new ArrayList<>(List.of("alice", "bob"));
    Target.Users users = new Target.Users(ids);

    ids.add("mallory");

    assertThat(users.userIds()).containsExactly("alice", "bob");
    assertThatThrownBy(() -> users.userIds().add("mallory"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(new Target.User("alice"), "user"),
        Arguments.of(new Target.Users(List.of("alice", "bob", "alice")), "users"),
        Arguments.of(new Target.Broadcast(), "broadcast"),
        Arguments.of(new Target.Channel("orders"), "channel"),
        Arguments.of(new Target.Channels(List.of("orders", "news")), "channels"));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyTargetHasTheKindTheApiNamesIt(Target target, String kind) {
    assertThat(target.kind()).isEqualTo(kind);
  }

  @Test
  void targetsNamingTheSameRecipientsTheSameWayAreEqual() {
    assertThat(new Target.Users(List.of("a", "b")))
        .isEqualTo(new Target.Users(List.of("a", "a", "b")));
  }

  @Test
  void aUserIdWithACommaIsNotTwoUsers() {
    assertThat(new Target.Users(List.of("a,b"))).isNotEqualTo(new Target.Users(List.of("a", "b")));
  }
}
