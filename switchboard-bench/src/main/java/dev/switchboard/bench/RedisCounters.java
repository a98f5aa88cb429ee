package dev.switchboard.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * A Redis server's counters at one moment, from {@code INFO cpu commandstats}: its CPU time ({@code
 * used_cpu_user + used_cpu_sys}, getrusage: the kernel's figures of {@code /proc} at microsecond
 * resolution instead of 10 ms ticks) and, per command, its calls and the microseconds spent running
 * it ({@code usec}; a script's includes the commands it called, which are also counted under their
 * own names).
 *
 * @param cpuSeconds user + system CPU seconds of the server since it started
 * @param commands per lower-case command name
 */
record RedisCounters(double cpuSeconds, Map<String, Command> commands) {

  /** One {@code cmdstat_<name>:calls=N,usec=M,...} line. */
  record Command(long calls, long usec) {}

  RedisCounters {
    commands = Map.copyOf(commands);
  }

  /** Parses the answer of {@code INFO cpu commandstats}. */
  static RedisCounters parse(String info) {
    double cpu = 0;
    Map<String, Command> commands = new HashMap<>();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
      } else if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        commands.put(name, new Command(field(line, "calls"), field(line, "usec")));
      }
    }
    return new RedisCounters(cpu, commands);
  }

  private static long field(String line, String name) {
    int at = line.indexOf(name + "=");
    if (at < 0) {
      return 0;
    }
    int from = at + name.length() + 1;
    int to = line.indexOf(',', from);
    return Long.parseLong(line.substring(from, to < 0 ? line.length() : to).strip());
  }

  /**
   * What happened between {@code earlier} and this: CPU seconds, and per command the calls and
   * microseconds (commands not called left out, as are the {@code info} calls that read the
   * counters).
   */
  RedisCounters minus(RedisCounters earlier) {
    Map<String, Command> delta = new HashMap<>();
    commands.forEach(
        (name, now) -> {
          Command then = earlier.commands.getOrDefault(name, new Command(0, 0));
          long calls = now.calls() - then.calls();
          if (calls > 0 && !name.equals("info")) {
            delta.put(name, new Command(calls, now.usec() - then.usec()));
          }
        });
    return new RedisCounters(cpuSeconds - earlier.cpuSeconds, delta);
  }

  /** Calls of every command together. */
  long calls() {
    return commands.values().stream().mapToLong(Command::calls).sum();
  }

  /** Calls of {@code name}, 0 if it was not called. */
  long calls(String name) {
    Command c = commands.get(name);
    return c == null ? 0 : c.calls();
  }

  /** Microseconds spent in {@code name}, 0 if it was not called. */
  long usec(String name) {
    Command c = commands.get(name);
    return c == null ? 0 : c.usec();
  }
}
