package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Read and write system calls of processes so far, from {@code /proc/<pid>/io} ({@code syscr},
 * {@code syscw}; Linux, same user). A server's writes per delivery say how many frames each {@code
 * write}/{@code writev} carries: fewer calls per delivery, more frames coalesced.
 *
 * @param reads read-family system calls of all the processes
 * @param writes write-family system calls of all the processes
 */
record ProcSyscalls(long reads, long writes) {

  /** The sum over {@code processes}; -1 in both when one cannot be read. */
  static ProcSyscalls of(List<ProcessHandle> processes) {
    long reads = 0;
    long writes = 0;
    try {
      for (ProcessHandle process : processes) {
        for (String line :
            Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "io"))) {
          if (line.startsWith("syscr:")) {
            reads += Long.parseLong(line.substring(6).strip());
          } else if (line.startsWith("syscw:")) {
            writes += Long.parseLong(line.substring(6).strip());
          }
        }
      }
      return new ProcSyscalls(reads, writes);
    } catch (IOException | RuntimeException e) {
      return new ProcSyscalls(-1, -1);
    }
  }

  /** What happened between {@code earlier} and this; -1 in both when either is unknown. */
  ProcSyscalls minus(ProcSyscalls earlier) {
    return reads < 0 || earlier.reads < 0
        ? new ProcSyscalls(-1, -1)
        : new ProcSyscalls(reads - earlier.reads, writes - earlier.writes);
  }
}
