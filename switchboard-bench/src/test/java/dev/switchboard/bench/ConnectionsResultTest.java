package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionsResultTest {

  private static final String HISTOGRAM_BEFORE =
      """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:           100          10000  [B (java.base@25)
         2:            10            400  java.lang.String (java.base@25)
      Total           110          10400
      """;

  private static final String HISTOGRAM_AFTER =
      """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          1100          90000  [B (java.base@25)
         2:            10            400  java.lang.String (java.base@25)
         3:          2000          32000  io.netty.Foo
      Total          3110         122400
      """;

  @Test
  void perConnectionFiguresAreTheGrowthOverTheCount() {
    ConnectionsResult result = result(1000, 2_000_000_000L, 1_000, 5_000, 100_000, 300_000);

    assertThat(result.heapBytesPerConnection()).isEqualTo(112.0); // (122400 - 10400) / 1000
    assertThat(result.directBytesPerConnection()).isEqualTo(4.0);
    assertThat(result.rssBytesPerConnection()).isEqualTo(200.0);
    assertThat(result.connectsPerSecond()).isEqualTo(500.0);
  }

  @Test
  void lastLineIsOneJsonObjectWithTheFixedKeysAndNullForWhatWasNotMeasured() {
    String line = result(1000, 2_000_000_000L, -1, 5_000, 100_000, 300_000).jsonLine();

    assertThat(line)
        .isEqualTo(
            "{\"count\":1000,\"connect_seconds\":2.000,\"connects_per_second\":500.0,"
                + "\"heap_bytes_per_connection\":112.0,\"direct_bytes_per_connection\":null,"
                + "\"rss_bytes_per_connection\":200.0}");
  }

  @Test
  void histogramGrowthListsTheClassesThatGrewMostFirst() {
    ClassHistogram before = ClassHistogram.parse(HISTOGRAM_BEFORE);
    ClassHistogram after = ClassHistogram.parse(HISTOGRAM_AFTER);

    assertThat(after.totalBytes()).isEqualTo(122_400);
    assertThat(after.grownSince(before, 2))
        .containsExactly(
            new ClassHistogram.Growth("[B", 1000, 80_000),
            new ClassHistogram.Growth("io.netty.Foo", 2000, 32_000));
  }

  private static ConnectionsResult result(
      int count, long nanos, long directBefore, long directAfter, long rssBefore, long rssAfter) {
    ClassHistogram before = ClassHistogram.parse(HISTOGRAM_BEFORE);
    ClassHistogram after = ClassHistogram.parse(HISTOGRAM_AFTER);
    return new ConnectionsResult(
        count,
        nanos,
        new MemorySnapshot(before, directBefore, rssBefore),
        new MemorySnapshot(after, directAfter, rssAfter));
  }
}
