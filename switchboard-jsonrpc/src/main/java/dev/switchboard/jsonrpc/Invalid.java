package dev.switchboard.jsonrpc;

import java.util.Objects;

/**
 * An element that is not a valid request; it is answered with {@link #error()} under {@link #id()}
 * (null when the id itself could not be read).
 */
public record Invalid(Id id, ErrorObject error) implements Entry {
  public Invalid {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(error, "error");
  }
}
