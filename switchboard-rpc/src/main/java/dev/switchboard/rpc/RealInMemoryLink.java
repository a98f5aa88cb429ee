package dev.switchboard.rpc;

/** An {@link InMemoryLink}: two connections on the two ends of an {@link InMemoryTransport}. */
record RealInMemoryLink(RpcConnection left, RpcConnection right) implements InMemoryLink {

  @Override
  public void close() {
    left.close();
    right.close(); // at once, rather than when its delivery thread hears of the close
  }
}
