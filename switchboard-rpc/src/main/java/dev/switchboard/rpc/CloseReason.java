package dev.switchboard.rpc;

import java.util.Objects;

/** Why a connection closed: the WebSocket close code and reason. */
public record CloseReason(int code, String reason) {
  public CloseReason {
    Objects.requireNonNull(reason, "reason");
  }
}
