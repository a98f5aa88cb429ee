package dev.switchboard.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the server logged at ERROR level, or as a stack trace, while a test ran: an exception nobody
 * handled (Vert.x's "Unhandled exception"), a Netty buffer leak, a failure the server swallowed and
 * logged. The log goes to {@code System.err} (logback-test.xml), which logback looks up at every
 * write, so a copy of it is kept here; everything still reaches the real stream.
 */
final class ErrorLog implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
  private int read;

  private ErrorLog() {
    System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
  }

  /** Starts keeping a copy of {@code System.err}; {@link #close} stops it. */
  static ErrorLog record() {
    return new ErrorLog();
  }

  /** The lines logged at ERROR level, or of a stack trace, since the last call. */
  synchronized List<String> newErrors() {
    String all;
    synchronized (copy) {
      all = copy.toString(StandardCharsets.UTF_8);
    }
    String fresh = all.substring(Math.min(read, all.length()));
    read = all.length();
    return fresh
        .lines()
        .filter(line -> line.contains(" ERROR ") || line.startsWith("\tat "))
        .toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }

  /** Writes to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    Tee(OutputStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      synchronized (second) {
        second.write(b, off, len);
      }
    }
  }
}
