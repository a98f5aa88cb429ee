package dev.switchboard.bench.load;

/** A connected device of one transport. */
public interface LoadDevice extends AutoCloseable {

  /** {@code ws}, {@code sse} or {@code wt}. */
  String transport();

  /** Closes the connection; the listener hears no {@code dropped} for it. Never throws. */
  @Override
  void close();
}
