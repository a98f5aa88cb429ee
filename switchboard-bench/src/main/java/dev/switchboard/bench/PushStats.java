package dev.switchboard.bench;

import java.util.List;
import java.util.Optional;

/**
 * The steady-push phase of one system.
 *
 * @param sends sends of the measured window, each to one user
 * @param sendsPerSecond the rate they were sent at
 * @param misses sends of the window whose device never received them (within the message timeout
 *     after the last)
 * @param duplicates deliveries beyond the first of a send
 * @param misdelivered deliveries that reached a device of another user
 * @param publishErrors HTTP requests that failed or did not answer 200
 * @param undelivered answers that said the notification reached no device ({@code delivered_to} 0)
 * @param publisherLagMs how far behind its schedule the publisher fell at worst; high values mean
 *     the load generator, not the server, set the pace (latency counts from the scheduled time
 *     either way)
 * @param latency from the scheduled send time to the receipt, for sends of the window
 * @param worstBySecondMs the worst latency of the sends scheduled in each second of the phase,
 *     warm-up included (0 where nothing arrived): where in time the tail comes from
 * @param cpu CPU time of the server and of the benchmark JVM during the measured window
 * @param firstError the first publishing error, if any
 */
record PushStats(
    long sends,
    double sendsPerSecond,
    long misses,
    long duplicates,
    long misdelivered,
    long publishErrors,
    long undelivered,
    double publisherLagMs,
    LatencyStats latency,
    List<Double> worstBySecondMs,
    CpuUsage cpu,
    Optional<String> firstError) {

  PushStats {
    worstBySecondMs = List.copyOf(worstBySecondMs);
  }
}
