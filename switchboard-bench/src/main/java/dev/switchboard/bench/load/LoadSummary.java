package dev.switchboard.bench.load;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a finished run measured, for the report.
 *
 * @param profile the profile's name ({@code smoke}, ...)
 * @param url the server's base URL
 * @param started when the run started (wall clock)
 * @param duration how long the load phase ran
 * @param devicesByTransport the devices the profile asked for at its peak, by transport ({@code
 *     ws}, {@code sse}, {@code wt}), in the order the report lists them
 * @param connectAttempts device connections tried
 * @param connected of those, the ones that opened and subscribed
 * @param dropped connected devices the server closed during the run
 * @param sent HTTP sends (notification API requests) made
 * @param httpFailed of those, the ones that failed (transport error or a status other than 2xx)
 * @param expected deliveries the server reported for the sends ({@code delivered_to}, summed)
 * @param received notifications the devices read
 * @param messageLatency from the start of the HTTP send to the device reading it
 * @param httpLatency of the HTTP sends, request start to response
 * @param serverCpuSecondsPerThousand server CPU per thousand deliveries when the server runs on
 *     this machine and its pid is known; -1 otherwise
 * @param thresholds every pass/fail rule and its outcome
 * @param timeline one sample per second of the load phase
 * @param notes anything the reader should know (a transport skipped, a rule's caveat)
 */
public record LoadSummary(
    String profile,
    URI url,
    Instant started,
    Duration duration,
    Map<String, Integer> devicesByTransport,
    long connectAttempts,
    long connected,
    long dropped,
    long sent,
    long httpFailed,
    long expected,
    long received,
    Percentiles messageLatency,
    Percentiles httpLatency,
    double serverCpuSecondsPerThousand,
    List<Threshold> thresholds,
    List<SecondSample> timeline,
    List<String> notes) {

  public LoadSummary {
    devicesByTransport =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(devicesByTransport));
    thresholds = List.copyOf(thresholds);
    timeline = List.copyOf(timeline);
    notes = List.copyOf(notes);
  }

  /** True when every threshold held. */
  public boolean passed() {
    return thresholds.stream().allMatch(Threshold::passed);
  }
}
