package dev.switchboard.cluster;

/**
 * A graph refused before anything ran because a command cannot be routed: no provider serves its
 * function ({@link CommandError#UNKNOWN_FUNCTION}), or none with every resource it names ({@link
 * CommandError#NO_PROVIDER}). The message names the command, the function and the resources.
 */
public final class RoutingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient CommandError error;

  RoutingException(CommandError error) {
    super(error.message());
    this.error = error;
  }

  /** The error to answer with. */
  public CommandError error() {
    return error;
  }
}
