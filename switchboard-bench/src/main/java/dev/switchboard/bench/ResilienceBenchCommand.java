package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code BenchMain resilience [jmh args]}: the resilience benchmarks (switchboard-resilience
 * against resilience4j, Bucket4j and Netflix concurrency-limits) through {@link JmhCommand}, with
 * an include pattern naming their classes put before the caller's arguments. JMH ORs include
 * patterns, so a pattern given here widens the run instead of narrowing it: to run one class, use
 * {@code jmh CircuitBreakerBenchmark}.
 */
@Command(
    name = "resilience",
    description = {
      "Runs the resilience JMH benchmarks (Switchboard vs resilience4j, Bucket4j, Netflix); further arguments go"
          + " to JMH.",
      "Example: ./switchboard bench resilience -f 1 -wi 2 -i 3 -t 2 -prof gc -rf json -rff out.json"
    })
final class ResilienceBenchCommand implements Callable<Integer> {

  /** The benchmark classes, by JMH's regular expression over the benchmark's full name. */
  static final String INCLUDE =
      "dev\\.switchboard\\.bench\\."
          + "(CircuitBreaker|RateLimiter|Bulkhead|Retry|TimeLimiter|TimeLimiterPending|AdaptiveLimiter)Benchmark\\.";

  /** Everything after {@code resilience}, untouched: JMH parses it. */
  @Unmatched List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>();
    args.add(INCLUDE);
    args.addAll(jmhArgs);
    CommandLineOptions options = new CommandLineOptions(args.toArray(String[]::new));
    if (options.shouldHelp() || options.shouldList() || options.shouldListProfilers()) {
      JmhCommand jmh = new JmhCommand();
      jmh.jmhArgs.addAll(args);
      return jmh.call(); // JMH's own answer to -h, -l, -lprof
    }
    Collection<RunResult> results = new Runner(options).run();
    System.out.println();
    System.out.println("Ours against each peer (pairs rows by method name; B/op needs -prof gc):");
    System.out.println();
    System.out.print(ResilienceTable.markdown(results));
    return 0;
  }
}
