package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Message;
import dev.switchboard.jsonrpc.Notification;
import dev.switchboard.jsonrpc.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A batch being built by one thread, then sent once. Its elements are observed from {@link #send()}
 * on, so a batch that is never sent leaves no observation open.
 */
final class RealBatch implements RpcPeer.Batch {

  private final RealRpcConnection connection;
  private final List<Element> elements = new ArrayList<>();
  private final List<PendingCall<?>> calls = new ArrayList<>();
  private boolean sent;

  /** One element, in the order added. */
  private sealed interface Element {}

  private record Call(PendingCall<?> call, Params params) implements Element {}

  private record Notify(String method, Params params) implements Element {}

  RealBatch(RealRpcConnection connection) {
    this.connection = connection;
  }

  @Override
  public <T> CompletableFuture<T> call(String method, Params params, Class<T> resultType) {
    checkNotSent();
    PendingCall<T> call =
        connection.newCall(method, params, resultType, connection.config().callTimeout(), false);
    calls.add(call);
    elements.add(new Call(call, params));
    return call.future;
  }

  @Override
  public RpcPeer.Batch notify(String method, Params params) {
    checkNotSent();
    elements.add(
        new Notify(
            Objects.requireNonNull(method, "method"), Objects.requireNonNull(params, "params")));
    return this;
  }

  @Override
  public void send() {
    checkNotSent();
    if (elements.isEmpty()) {
      throw new IllegalStateException(
          "an empty batch cannot be sent: JSON-RPC answers [] with an error");
    }
    sent = true;
    RpcObserver observer = connection.config().observer();
    List<Message> messages = new ArrayList<>(elements.size());
    List<RpcObserver.Observation> notified = new ArrayList<>();
    for (Element element : elements) {
      switch (element) {
        case Call(PendingCall<?> call, Params params) ->
            messages.add(
                connection.request(
                    call, params, call.observe(Observations.calling(observer, call.method))));
        case Notify(String method, Params params) -> {
          RpcObserver.Observation observation = Observations.calling(observer, method);
          notified.add(observation);
          messages.add(new Notification(method, params, Observations.outgoing(observation)));
        }
      }
    }
    byte[] bytes;
    try {
      bytes = connection.codec().encodeBatch(messages);
      if (calls.isEmpty()) {
        connection.checkSize("a batch", bytes.length);
      }
    } catch (RuntimeException e) {
      calls.forEach(c -> c.refuse(e));
      notified.forEach(o -> Observations.ended(o, Observations.UNSENDABLE));
      throw e;
    }
    OptionalInt refusal;
    if (calls.isEmpty()) {
      refusal = connection.sendNotifications(bytes);
    } else {
      refusal = connection.register(calls);
      if (refusal.isEmpty()) {
        refusal = connection.send(calls, bytes);
      }
    }
    for (RpcObserver.Observation observation : notified) {
      Observations.ended(observation, refusal);
    }
    if (calls.isEmpty() && refusal.isPresent()) {
      throw new IllegalStateException(
          "the batch was not sent: the connection is closed or its queue is full");
    }
  }

  private void checkNotSent() {
    if (sent) {
      throw new IllegalStateException("this batch was sent already");
    }
  }
}
