package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** How to run a benchmark again: its arguments as given, quoted for a shell, for its report. */
final class RerunCommand {
  private RerunCommand() {}

  static String of(CommandLine.Model.CommandSpec spec) {
    List<String> words = new ArrayList<>(List.of("./switchboard bench"));
    for (String arg : spec.root().commandLine().getParseResult().originalArgs()) {
      words.add(arg.matches("[\\w@%+=:,./*-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }
}
