package dev.switchboard.rpc;

import org.junit.jupiter.api.Nested;

/**
 * The RPC peer's specifications over {@link InMemoryTransport}: no socket, no network stack, what
 * {@link InMemoryLink} gives users. {@link RpcPeerSocketTest} runs the same specs over TCP.
 */
class RpcPeerInMemoryTest {

  @Nested
  class Calls extends CallsSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }

  @Nested
  class Threads extends ThreadsSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }

  @Nested
  class Deadlines extends DeadlinesSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }

  @Nested
  class Limits extends LimitsSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }

  @Nested
  class Overload extends OverloadSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }

  @Nested
  class Lifecycle extends LifecycleSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }

  @Nested
  class WireFormat extends WireFormatSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }

  @Nested
  class Observer extends ObserverSpec {
    @Override
    Wire wire() {
      return Wire.IN_MEMORY;
    }
  }
}
