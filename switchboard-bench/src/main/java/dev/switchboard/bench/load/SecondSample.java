package dev.switchboard.bench.load;

/**
 * One second of a run: {@code second} counts from the start (0-based), {@code devices} connected at
 * its end, {@code sent} HTTP sends started in it, {@code received} notifications read in it, and
 * the latencies of what completed in it.
 */
public record SecondSample(
    int second,
    int devices,
    long sent,
    long received,
    Percentiles messageLatency,
    Percentiles httpLatency) {}
