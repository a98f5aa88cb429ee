package dev.switchboard.testing;

import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.Transport;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two RPC peers joined in memory, no socket: what one sends, the other receives, in order, on its
 * own delivery thread (as a transport's I/O thread would). For protocol tests; close it after use.
 */
public final class InMemoryLink implements AutoCloseable {

  private final End left;
  private final End right;

  private InMemoryLink(RpcMethods leftMethods, RpcMethods rightMethods, RpcConfig config) {
    left = new End("left");
    right = new End("right");
    left.other = right;
    right.other = left;
    left.connection = RpcConnection.open(left, leftMethods, config);
    right.connection = RpcConnection.open(right, rightMethods, config);
  }

  public static InMemoryLink open(
      RpcMethods leftMethods, RpcMethods rightMethods, RpcConfig config) {
    return new InMemoryLink(leftMethods, rightMethods, config);
  }

  public RpcConnection left() {
    return left.connection;
  }

  public RpcConnection right() {
    return right.connection;
  }

  /** Messages each side has sent so far, for assertions on traffic. */
  public int sentByLeft() {
    return left.sent.get();
  }

  public int sentByRight() {
    return right.sent.get();
  }

  @Override
  public void close() {
    left.close(1000, "");
    left.delivery.close();
    right.delivery.close();
  }

  private static final class End implements Transport {
    private final String name;

    /** One thread delivers to this end, in order, like a socket's I/O thread. */
    private final ExecutorService delivery = Executors.newSingleThreadExecutor();

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger sent = new AtomicInteger();
    private End other;
    private RpcConnection connection;

    End(String name) {
      this.name = name;
    }

    @Override
    public boolean send(Encoding encoding, byte[] bytes) {
      if (closed.get()) {
        return false;
      }
      sent.incrementAndGet();
      other.delivery.execute(() -> other.connection.receive(encoding, bytes));
      return true;
    }

    @Override
    public void close(int code, String reason) {
      if (closed.compareAndSet(false, true)) {
        other.closed.set(true);
        delivery.execute(() -> connection.transportClosed(code, reason));
        other.delivery.execute(() -> other.connection.transportClosed(code, reason));
      }
    }

    @Override
    public String describe() {
      return "in-memory " + name;
    }
  }
}
