package dev.switchboard.rpc;

import org.junit.jupiter.api.Nested;

/**
 * The RPC peer's specifications over {@link SocketTransport}: TCP on loopback, a reader and a
 * writer thread per end, ping frames. {@link RpcPeerInMemoryTest} runs the same specs in memory.
 */
class RpcPeerSocketTest {

  @Nested
  class Calls extends CallsSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }

  @Nested
  class Threads extends ThreadsSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }

  @Nested
  class Deadlines extends DeadlinesSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }

  @Nested
  class Limits extends LimitsSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }

  @Nested
  class Overload extends OverloadSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }

  @Nested
  class Lifecycle extends LifecycleSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }

  @Nested
  class WireFormat extends WireFormatSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }

  @Nested
  class Observer extends ObserverSpec {
    @Override
    Wire wire() {
      return Wire.SOCKET;
    }
  }
}
