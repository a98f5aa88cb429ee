package dev.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What permessage-deflate costs the server for one 4 KB notification ({@code bench fanout --payload
 * json}), compressed three ways, each at level 6 with a 32 KiB window as the server does: {@code
 * reusedDeflater}, alone with one deflater kept per thread and reset (the server's {@code
 * MessageDeflater}, once per message whatever the recipients); {@code newDeflaterPerMessage}, alone
 * with a new deflater each time (Netty's PerMessageDeflateEncoder without context takeover, once
 * per recipient); {@code contextTakeover}, one deflater per connection flushed after each message
 * (Netty's encoder with context takeover, before: once per recipient, and the bytes differ per
 * connection). Run with {@code ./switchboard bench jmh DeflateBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeflateBenchmark {

  @Param({"4096"})
  public int payloadBytes;

  private byte[] message;
  private byte[] out;
  private Deflater reused;
  private Deflater connection;
  private long seq;

  @Setup
  public void setUp() {
    message =
        PushPayload.of(1, 2, payloadBytes, PushPayload.Shape.JSON).getBytes(StandardCharsets.UTF_8);
    out = new byte[payloadBytes * 2 + 64];
    reused = new Deflater(6, true);
    connection = new Deflater(6, true);
  }

  /** Every invocation a different message, as in a run: the same bytes would flatter context. */
  @Setup(Level.Invocation)
  public void nextMessage() {
    message =
        PushPayload.of(++seq, 2, payloadBytes, PushPayload.Shape.JSON)
            .getBytes(StandardCharsets.UTF_8);
  }

  @TearDown
  public void tearDown() {
    reused.end();
    connection.end();
  }

  @Benchmark
  public int reusedDeflater() {
    try {
      reused.setInput(message);
      return reused.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    } finally {
      reused.reset();
    }
  }

  @Benchmark
  public int newDeflaterPerMessage() {
    Deflater deflater = new Deflater(6, true);
    try {
      deflater.setInput(message);
      return deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    } finally {
      deflater.end();
    }
  }

  @Benchmark
  public int contextTakeover() {
    connection.setInput(message);
    return connection.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
  }
}
