package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The kernel's TCP socket tables ({@code /proc/net/tcp}, then {@code tcp6}; Linux): each row split
 * into its fields ({@code sl local_address rem_address st ... inode}), addresses as {@code
 * HEXADDR:HEXPORT}.
 */
public final class ProcNetTcp {
  private ProcNetTcp() {}

  /**
   * The fields of the first row {@code wanted} accepts; empty when none does or there is no table.
   */
  public static Optional<String[]> find(Predicate<String[]> wanted) {
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try (Stream<String> lines = Files.lines(Path.of(table))) {
        Optional<String[]> row =
            lines.skip(1).map(String::trim).map(l -> l.split("\\s+")).filter(wanted).findFirst();
        if (row.isPresent()) {
          return row;
        }
      } catch (IOException | UncheckedIOException e) {
        // no such table here (no IPv6, not Linux): look in the other
      }
    }
    return Optional.empty();
  }

  /** {@code :1F90} for port 8080: how an address field ends. */
  public static String portSuffix(int port) {
    return String.format(Locale.ROOT, ":%04X", port);
  }
}
