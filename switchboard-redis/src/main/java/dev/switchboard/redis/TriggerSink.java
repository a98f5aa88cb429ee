package dev.switchboard.redis;

import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Target;
import java.util.concurrent.CompletionStage;

/**
 * Where {@link AraTriggers} sends the notifications triggers ask for: the server passes its {@link
 * dev.switchboard.gateway.Broker}'s {@code publish}.
 */
@FunctionalInterface
public interface TriggerSink {

  /**
   * Sends {@code notification} to {@code target} (keys of the trigger's tenant). Must not block on
   * the network; called from one thread at a time.
   *
   * @return completes when sent, fails when it could not be (counted as failed)
   */
  CompletionStage<?> send(Target target, Notification notification);
}
