package dev.switchboard.jsonrpc;

import java.util.Objects;

/**
 * A request id: a string, an integer or null. Ids are echoed exactly in the response.
 *
 * <p>Fractional numbers and integers outside the {@code long} range are not accepted as ids: the
 * request is then answered with an Invalid Request error whose id is null.
 */
public sealed interface Id permits Id.Text, Id.Int, Id.Null {

  static Id of(String value) {
    return new Text(value);
  }

  static Id of(long value) {
    return new Int(value);
  }

  static Id nullId() {
    return Null.INSTANCE;
  }

  /** A string id. */
  record Text(String value) implements Id {
    public Text {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return '"' + value + '"';
    }
  }

  /** An integer id. */
  record Int(long value) implements Id {
    // Written out: the generated record methods go through an invokedynamic bootstrap that showed
    // in profiles of
    // the pending-call map.
    @Override
    public boolean equals(Object other) {
      return other instanceof Int that && that.value == value;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(value);
    }

    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /**
   * The JSON {@code null} id: a request that gets a reply but cannot be correlated or cancelled.
   */
  enum Null implements Id {
    INSTANCE;

    @Override
    public String toString() {
      return "null";
    }
  }
}
