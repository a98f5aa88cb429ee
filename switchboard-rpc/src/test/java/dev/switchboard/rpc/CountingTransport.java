package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;
import java.util.concurrent.atomic.AtomicInteger;

/** A transport that counts what its connection sent through it, for assertions on traffic. */
final class CountingTransport implements Transport {

  private final Transport transport;
  private final AtomicInteger sent = new AtomicInteger();

  CountingTransport(Transport transport) {
    this.transport = transport;
  }

  /** Messages and transport pings sent so far. */
  int sent() {
    return sent.get();
  }

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    boolean queued = transport.send(encoding, bytes);
    if (queued) {
      sent.incrementAndGet();
    }
    return queued;
  }

  @Override
  public boolean sendPing() {
    boolean pinged = transport.sendPing();
    if (pinged) {
      sent.incrementAndGet();
    }
    return pinged;
  }

  @Override
  public void close(int code, String reason) {
    transport.close(code, reason);
  }

  @Override
  public String describe() {
    return transport.describe();
  }
}
