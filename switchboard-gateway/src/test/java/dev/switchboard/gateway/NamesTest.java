package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A channel name is 1-64 ASCII letters, digits, '-', '_' and '.'; anything else is rejected naming
 * it. A user id is 1-256 characters, not blank.
 */
class NamesTest {

  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String ALLOWED = "abcxyzABCXYZ0189-_.";

  /**
   * Characters that are not allowed: space, punctuation, non-ASCII letters and digits, controls, a
   * surrogate pair.
   */
  private static final String FORBIDDEN =
      " /:#*+,;@!?~\t\n\u0000\u00e9\u00df\u0661\uff21\u2013\ud83d\ude00";

  @Provide
  Arbitrary<String> channelNames() {
    return Arbitraries.strings().withChars(ALLOWED).ofMinLength(1).ofMaxLength(64);
  }

  @Provide
  Arbitrary<String> notChannelNames() {
    Arbitrary<String> allowedButTooLongOrEmpty =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.strings().withChars(ALLOWED).ofMinLength(65).ofMaxLength(200));
    Arbitrary<String> mixed =
        Arbitraries.strings().withChars(ALLOWED + FORBIDDEN).ofMinLength(1).ofMaxLength(80);
    Arbitrary<String> anyUnicode = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(80);
    return Arbitraries.oneOf(allowedButTooLongOrEmpty, mixed, anyUnicode)
        .filter(name -> !RULE.matcher(name).matches());
  }

  @Property(tries = 500)
  void everyNameFollowingTheRuleIsAChannel(@ForAll("channelNames") String name) {
    assertThat(Names.isChannel(name)).isTrue();
    assertThat(Names.checkChannel(name)).isSameAs(name);
  }

  @Property(tries = 1000)
  void everyOtherNameIsRejectedNamingIt(@ForAll("notChannelNames") String name) {
    assertThat(Names.isChannel(name)).isFalse();
    assertThatThrownBy(() -> Names.checkChannel(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid channel name")
        .hasMessageContaining("1-64 characters of letters, digits, '-', '_' and '.'")
        .hasMessageContaining(shown(name));
  }

  /**
   * How a rejected name appears in the message: whole when short, its first 80 characters and "..."
   * when long (so a huge value does not flood the logs), with quotes and backslashes escaped.
   */
  private static String shown(String name) {
    String cut = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    return cut.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Example
  void theLimitsOfTheRule() {
    assertThat(Names.isChannel("a")).isTrue();
    assertThat(Names.isChannel("x".repeat(64))).isTrue();
    assertThat(Names.isChannel("x".repeat(65))).isFalse();
    assertThat(Names.isChannel("")).isFalse();
    assertThat(Names.isChannel(null)).isFalse();
    assertThat(Names.isChannel("orders.eu-west_1")).isTrue();
    assertThat(Names.isChannel("caf\u00e9")).isFalse();
  }

  @Example
  void aMissingChannelNameIsRejectedAsNull() {
    assertThatThrownBy(() -> Names.checkChannel(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid channel name null:");
  }

  @Example
  void aLongRejectedNameIsShownCutAt80Characters() {
    String name = "y".repeat(100) + " ";

    assertThatThrownBy(() -> Names.checkChannel(name))
        .hasMessageContaining("\"" + "y".repeat(80) + "...\"")
        .hasMessageNotContaining("y".repeat(81));
  }

  @Example
  void quotesInARejectedNameAreEscaped() {
    assertThatThrownBy(() -> Names.checkChannel("a\"b\\c")).hasMessageContaining("\"a\\\"b\\\\c\"");
  }

  @Example
  void aUserIdIsOneTo256CharactersAndNotBlank() {
    assertThat(Names.checkUserId("alice")).isEqualTo("alice");
    assertThat(Names.checkUserId("u".repeat(256))).hasSize(256);
    assertThat(Names.checkUserId("auth0|5f1c,\u00e9 x")).isEqualTo("auth0|5f1c,\u00e9 x");

    for (String bad : new String[] {"", "   ", "u".repeat(257)}) {
      assertThatThrownBy(() -> Names.checkUserId(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid user id")
          .hasMessageContaining("must be 1-256 characters and not blank");
    }
    assertThatThrownBy(() -> Names.checkUserId(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid user id null:");
  }
}
