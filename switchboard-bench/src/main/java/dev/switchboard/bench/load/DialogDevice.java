package dev.switchboard.bench.load;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A device that speaks JSON-RPC with the server (WebSocket, WebTransport): it leaves its channels
 * with {@code unsubscribe} through its dialog.
 */
abstract class DialogDevice extends DeviceConnection {

  final DeviceSpec spec;

  /** The dialog once the connection is open; until then there is nothing to leave. */
  volatile DeviceMessages.Dialog dialog;

  DialogDevice(
      String transport, DeviceSpec spec, DeviceListener listener, Set<DeviceConnection> live) {
    super(transport, listener, live);
    this.spec = spec;
  }

  /** A dialog writing through {@code send}: its ready and refused become this device's. */
  final DeviceMessages.Dialog talkOver(Consumer<String> send) {
    return new DeviceMessages.Dialog(
        listener(),
        send,
        new DeviceMessages.Dialog.Events() {
          @Override
          public void ready() {
            DialogDevice.this.ready();
          }

          @Override
          public void refused(String why) {
            fail(why);
          }
        });
  }

  @Override
  public final CompletableFuture<Void> leaveChannels() {
    DeviceMessages.Dialog current = dialog;
    return current == null
        ? CompletableFuture.completedFuture(null)
        : current.leave(spec.channels());
  }
}
