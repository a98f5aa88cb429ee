package dev.switchboard.webtransport;

/** Told once when a {@link WebTransportSession} ends. */
@FunctionalInterface
public interface CloseListener {
  /**
   * The session ended.
   *
   * @param code the application code of the close capsule (either side's), 0 when the session ended
   *     without one
   * @param reason the close capsule's reason, or a short description of how the session ended;
   *     never null
   */
  void onClose(int code, String reason);
}
