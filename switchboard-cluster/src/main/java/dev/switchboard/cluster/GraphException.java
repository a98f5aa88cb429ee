package dev.switchboard.cluster;

import java.util.Objects;

/**
 * A command graph refused before anything ran: its {@link #code()} says which rule it broke and its
 * message names the culprit (the command, or the cycle's names in order).
 */
public final class GraphException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a graph (or one of its commands) was refused. */
  public enum Code {
    /** The list of commands is empty. */
    EMPTY,
    /** More than {@link CommandGraph#MAX_COMMANDS} commands. */
    TOO_MANY_COMMANDS,
    /** Two commands have the same name. */
    DUPLICATE_NAME,
    /** A command has no method, or a blank one. */
    MISSING_METHOD,
    /** A command's name is not 1 to 64 of {@code [A-Za-z0-9_-]}. */
    INVALID_NAME,
    /** A command depends on itself, directly or through others. */
    CYCLE,
    /**
     * A command's params are neither an array nor an object, or hold a reference with an empty path
     * segment ({@code "prep."}, {@code "prep..x"}), or its locations are invalid.
     */
    INVALID_PARAMS
  }

  private final Code code;

  GraphException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Which rule the graph broke. */
  public Code code() {
    return code;
  }
}
