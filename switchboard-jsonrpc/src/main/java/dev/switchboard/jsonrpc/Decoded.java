package dev.switchboard.jsonrpc;

import java.util.List;
import java.util.Objects;

/** What one whole frame decoded to. */
public sealed interface Decoded permits Decoded.Single, Decoded.Batch, Decoded.Unparsable {

  /**
   * One message (or an invalid one). An empty batch {@code []} decodes to a single {@link Invalid}.
   */
  record Single(Entry entry) implements Decoded {
    public Single {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /** A non-empty array of entries. */
  record Batch(List<Entry> entries) implements Decoded {
    public Batch {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Not valid JSON (or MessagePack): answered with a single Parse error (-32700) whose id is null.
   */
  record Unparsable(String reason) implements Decoded {
    public Unparsable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
