package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Message;
import dev.switchboard.jsonrpc.Notification;
import dev.switchboard.jsonrpc.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A batch being built by one thread, then sent once. */
final class RealBatch implements RpcPeer.Batch {

  private final RealRpcConnection connection;
  private final List<Message> messages = new ArrayList<>();
  private final List<PendingCall<?>> calls = new ArrayList<>();
  private boolean sent;

  RealBatch(RealRpcConnection connection) {
    this.connection = connection;
  }

  @Override
  public <T> CompletableFuture<T> call(String method, Params params, Class<T> resultType) {
    checkNotSent();
    PendingCall<T> call =
        connection.newCall(method, params, resultType, connection.config().callTimeout(), false);
    calls.add(call);
    messages.add(connection.request(call, params));
    return call.future;
  }

  @Override
  public RpcPeer.Batch notify(String method, Params params) {
    checkNotSent();
    messages.add(new Notification(method, params));
    return this;
  }

  @Override
  public void send() {
    checkNotSent();
    if (messages.isEmpty()) {
      throw new IllegalStateException(
          "an empty batch cannot be sent: JSON-RPC answers [] with an error");
    }
    sent = true;
    byte[] bytes = connection.codec().encodeBatch(messages);
    if (calls.isEmpty()) {
      connection.checkSize("a batch", bytes.length);
      if (!connection.sendNotifications(bytes)) {
        throw new IllegalStateException(
            "the batch was not sent: the connection is closed or its queue is full");
      }
    } else if (connection.register(calls)) {
      connection.send(calls, bytes);
    }
  }

  private void checkNotSent() {
    if (sent) {
      throw new IllegalStateException("this batch was sent already");
    }
  }
}
