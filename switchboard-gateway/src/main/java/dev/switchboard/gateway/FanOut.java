package dev.switchboard.gateway;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands one message to many devices with one task per event loop: each loop takes its devices in
 * one pass on its own thread, so no delivery crosses threads alone (a task, a wake-up and a promise
 * per device otherwise). Small fan-outs, and callers that must not wait, deliver from the calling
 * thread instead.
 */
final class FanOut {

  /**
   * Below this many devices the caller delivers itself: waiting for the loops' passes would cost
   * more than the hand-offs it saves.
   */
  static final int PER_LOOP_MIN = 16;

  private FanOut() {}

  /**
   * Delivers {@code message} to each device, once.
   *
   * @return whether each device took it, in the order of {@code devices}
   */
  static boolean[] deliver(List<Device> devices, Outgoing message) {
    boolean[] taken = new boolean[devices.size()];
    // Only a virtual thread may wait for the loops: a platform thread might be one of them.
    if (devices.size() < PER_LOOP_MIN || !Thread.currentThread().isVirtual()) {
      for (int i = 0; i < taken.length; i++) {
        taken[i] = devices.get(i).deliver(message);
      }
      return taken;
    }
    Map<Executor, List<Integer>> byLoop = new IdentityHashMap<>();
    for (int i = 0; i < devices.size(); i++) {
      byLoop.computeIfAbsent(devices.get(i).executor(), k -> new ArrayList<>()).add(i);
    }
    List<CompletableFuture<Void>> passes = new ArrayList<>(byLoop.size());
    byLoop.forEach(
        (loop, indexes) -> {
          if (loop == Device.CALLER) {
            deliver(devices, message, taken, indexes);
            return;
          }
          try {
            passes.add(
                CompletableFuture.runAsync(() -> deliver(devices, message, taken, indexes), loop));
          } catch (RejectedExecutionException e) { // the loop is shutting down
            deliver(devices, message, taken, indexes);
          }
        });
    // Each pass writes its own indexes of taken; join makes them visible here.
    passes.forEach(CompletableFuture::join);
    return taken;
  }

  private static void deliver(
      List<Device> devices, Outgoing message, boolean[] taken, List<Integer> indexes) {
    for (int i : indexes) {
      taken[i] = devices.get(i).deliver(message);
    }
  }
}
