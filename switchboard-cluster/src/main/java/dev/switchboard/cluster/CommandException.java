package dev.switchboard.cluster;

import java.util.Objects;

/**
 * A command failed with this error: how a {@link CommandRunner} reports a provider's JSON-RPC
 * error, by completing {@link CommandRunner.Running#result()} with it.
 */
public final class CommandException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient CommandError error;

  /** A failure with this error. */
  public CommandException(CommandError error) {
    super(Objects.requireNonNull(error, "error").message());
    this.error = error;
  }

  /** The command's error. */
  public CommandError error() {
    return error;
  }
}
