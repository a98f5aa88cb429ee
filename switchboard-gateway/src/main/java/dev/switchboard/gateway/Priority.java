package dev.switchboard.gateway;

import java.util.Locale;

/**
 * How much a notification matters. On the wire: {@code "Low"}, {@code "Normal"}, {@code "High"},
 * {@code "Critical"}; requests may use any letter case. A device that cannot keep up loses its
 * oldest Low and Normal notifications first (see {@link Outbox}); High and Critical are never
 * dropped.
 */
public enum Priority {
  LOW("Low"),
  NORMAL("Normal"),
  HIGH("High"),
  CRITICAL("Critical");

  private final String wireName;

  Priority(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** True for the priorities a slow device may lose. */
  public boolean droppable() {
    return this == LOW || this == NORMAL;
  }

  /**
   * The priority named {@code text}, in any letter case.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static Priority parse(String text) {
    java.util.Objects.requireNonNull(text, "priority");
    for (Priority p : values()) {
      if (p.wireName.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "priority must be one of Low, Normal, High, Critical, got \"" + text + "\"");
  }
}
