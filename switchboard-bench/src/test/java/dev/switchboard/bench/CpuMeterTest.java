package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

  @Test
  void busyTimeIsEverythingButIdleIowaitAndSteal() {
    // user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s
    OptionalDouble busy = CpuMeter.busySeconds("cpu  1000 10 300 5000 40 0 90 7 0 0");

    assertThat(busy).hasValue(14.0);
  }

  @Test
  void anUnexpectedLineGivesNothing() {
    assertThat(CpuMeter.busySeconds("cpu0 1 2 3 4 5 6 7 8")).isEmpty();
    assertThat(CpuMeter.busySeconds("cpu 1 2")).isEmpty();
  }

  @Test
  void otherCoresAreWhatTheMachineSpentBeyondServerAndBenchmark() {
    CpuUsage usage =
        new CpuUsage(10, OptionalDouble.of(8), OptionalDouble.of(5), OptionalDouble.of(19));

    assertThat(usage.serverCores()).hasValue(0.8);
    assertThat(usage.benchCores()).hasValue(0.5);
    assertThat(usage.otherCores().getAsDouble()).isCloseTo(0.6, within(1e-9));
  }
}
