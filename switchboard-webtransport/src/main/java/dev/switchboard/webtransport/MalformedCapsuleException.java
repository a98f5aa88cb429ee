package dev.switchboard.webtransport;

/** A capsule that breaks the rules of its type; the session that received it is closed. */
final class MalformedCapsuleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MalformedCapsuleException(String message) {
    super(message);
  }
}
