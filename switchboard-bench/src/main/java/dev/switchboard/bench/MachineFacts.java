package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a reader needs to judge the numbers: where they were taken. The CPU model and load average
 * are read from {@code /proc} where it exists (Linux) and left out elsewhere.
 */
record MachineFacts(
    String java,
    int cores,
    Optional<String> node,
    String date,
    String os,
    Optional<String> cpu,
    Optional<String> loadAverage) {

  /** Writes these facts into {@code m}, the same way in every benchmark's JSON. */
  void writeJson(ObjectNode m) {
    m.put("java", java);
    m.put("cores", cores);
    m.put("node", node.orElse(null));
    m.put("os", os);
    m.put("cpu", cpu.orElse(null));
    m.put("loadAverageAtStart", loadAverage.orElse(null));
    m.put("date", date);
  }

  static MachineFacts collect() {
    String java =
        "java "
            + Runtime.version()
            + " ("
            + System.getProperty("java.vm.name")
            + ", "
            + System.getProperty("java.vendor")
            + ")";
    String os =
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch");
    return new MachineFacts(
        java,
        Runtime.getRuntime().availableProcessors(),
        NodePeer.nodeVersion(),
        ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
        os,
        cpuModel(),
        firstLine(Path.of("/proc/loadavg"))
            .map(l -> String.join(" ", Stream.of(l.split(" ")).limit(3).toList())));
  }

  /** One line for the report's header. */
  String summary() {
    return java
        + ", "
        + cores
        + " cores"
        + cpu.map(c -> " (" + c + ")").orElse("")
        + ", node "
        + node.orElse("not found")
        + ", "
        + os
        + ", "
        + date
        + loadAverage.map(l -> ", load average at start " + l).orElse("");
  }

  private static Optional<String> cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> firstLine(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
