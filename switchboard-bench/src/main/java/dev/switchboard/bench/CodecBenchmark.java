package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.jsonrpc.Codec;
import dev.switchboard.jsonrpc.Decoded;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Id;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.jsonrpc.Request;
import dev.switchboard.jsonrpc.Response;
import dev.switchboard.rpc.RpcConfig;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec's share of one RPC round trip, per encoding: the client encoding its {@code echo}
 * request and decoding the response (the same messages {@code BenchMain rpc} exchanges). Run with
 * {@code ./switchboard bench jmh CodecBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

  private static final Duration CALL_TIMEOUT = RpcConfig.defaults().callTimeout();

  @Param({"JSON", "MSGPACK"})
  public Encoding encoding;

  @Param({"64"})
  public int payloadBytes;

  private Codec codec;
  private Request request;
  private byte[] response;

  @Setup
  public void setUp() {
    codec = Codec.of(encoding);
    Workload workload = Workload.of(payloadBytes, CALL_TIMEOUT);
    // As SwitchboardClient sends it: with the call's timeout in "timeout_ms".
    request =
        new Request(
            Id.of(1_000_000),
            Workload.METHOD,
            Params.of(workload.payload()),
            OptionalLong.of(CALL_TIMEOUT.toMillis()));
    response =
        codec.encode(Response.success(Id.of(1_000_000), TextNode.valueOf(workload.payload())));
    if (!(codec.decode(response) instanceof Decoded.Single single
        && single.entry() instanceof Response)) {
      throw new IllegalStateException("the response does not decode to a response");
    }
  }

  @Benchmark
  public byte[] encodeRequest() {
    return codec.encode(request);
  }

  @Benchmark
  public Decoded decodeResponse() {
    return codec.decode(response);
  }
}
