package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.TraceContext;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@link RpcObserver#NONE} and {@link RpcObserver.Observation#NONE}. The connection compares with
 * them by identity to skip observing altogether, so they must stay single instances.
 */
final class NoObserver {

  static final RpcObserver.Observation NOTHING =
      new RpcObserver.Observation() {
        @Override
        public void ended(OptionalInt errorCode) {}

        @Override
        public String toString() {
          return "Observation.NONE";
        }
      };

  static final RpcObserver INSTANCE =
      new RpcObserver() {
        @Override
        public Observation serving(String method, Optional<TraceContext> incoming) {
          return NOTHING;
        }

        @Override
        public Observation calling(String method) {
          return NOTHING;
        }

        @Override
        public String toString() {
          return "RpcObserver.NONE";
        }
      };

  private NoObserver() {}
}
