package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code BenchMain jmh [jmh args]}: JMH's own command line ({@code org.openjdk.jmh.Main}) over the
 * benchmarks of this module, for example {@code jmh -f 1 -wi 3 -i 5 CodecBenchmark}; {@code jmh -h}
 * shows JMH's options.
 */
@Command(
    name = "jmh",
    description = {
      "Runs the JMH micro-benchmarks (CodecBenchmark); every argument goes to JMH.",
      "Example: ./switchboard bench jmh -f 1 -wi 3 -i 5 CodecBenchmark   (jmh -h: JMH's help)"
    })
final class JmhCommand implements Callable<Integer> {

  /** Everything after {@code jmh}, untouched: JMH parses it. */
  @Unmatched List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    return 0;
  }
}
