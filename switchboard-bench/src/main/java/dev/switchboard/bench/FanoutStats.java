package dev.switchboard.bench;

import java.util.Optional;

/**
 * The fan-out phase of one system.
 *
 * @param inflight messages the publisher kept in flight
 * @param seconds length of the measured window
 * @param receipts deliveries that arrived in the measured window, whichever message they belonged
 *     to
 * @param deliveriesPerSecond {@code receipts / seconds}
 * @param messages messages published in the measured window
 * @param incomplete messages of the window that did not reach every device within the message
 *     timeout, or whose publishing failed
 * @param lostReceipts deliveries those messages still lacked when they were given up
 * @param strays deliveries of messages already given up, or of no message sent
 * @param reordered deliveries that came to a device after a later message (or twice); with more
 *     than one message in flight the server may legitimately publish them in another order
 * @param publishErrors HTTP requests that failed or did not answer 200
 * @param miscounted answers whose {@code delivered_to} differed from the number of devices
 * @param latency from the publisher's HTTP request to each device's receipt, for messages of the
 *     window
 * @param cpu CPU time of the server and of the benchmark JVM during the measured window
 * @param firstError the first publishing error, if any
 */
record FanoutStats(
    int inflight,
    double seconds,
    long receipts,
    double deliveriesPerSecond,
    long messages,
    long incomplete,
    long lostReceipts,
    long strays,
    long reordered,
    long publishErrors,
    long miscounted,
    LatencyStats latency,
    CpuUsage cpu,
    Optional<String> firstError) {}
