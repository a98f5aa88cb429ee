package dev.switchboard.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named load shape, after Ara's k6 profiles: stages, each ramping linearly from where the last
 * one ended to its own number of connected devices and rate of HTTP sends (k6's {@code stages}).
 * The first stage starts from nothing.
 *
 * @param name {@code smoke}, {@code baseline}, {@code medium}, {@code high}, {@code stress}, {@code
 *     soak} or {@code spike}
 * @param purpose one line on what the profile shows
 * @param stages in order; their durations add up to the run's length
 */
public record LoadProfile(String name, String purpose, List<Stage> stages) {

  /**
   * One stage: over {@code duration}, devices move linearly to {@code devices} and the send rate to
   * {@code sendsPerSecond}.
   */
  public record Stage(Duration duration, int devices, int sendsPerSecond) {
    public Stage {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || devices < 0 || sendsPerSecond < 0) {
        throw new IllegalArgumentException("a stage's duration, devices and rate are >= 0");
      }
    }
  }

  /** Devices and send rate at one moment of the run. */
  public record Point(int devices, double sendsPerSecond) {}

  public LoadProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(purpose, "purpose");
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a profile has at least one stage");
    }
  }

  /** Every profile, in the order of Ara's suite. */
  public static List<LoadProfile> all() {
    return List.of(
        new LoadProfile(
            "smoke",
            "does it work at all: a few devices of every transport, a few sends a second",
            List.of(jump(10, 5), ramp(30, 10, 5))),
        new LoadProfile(
            "baseline",
            "a quiet day: 100 devices, 20 sends a second",
            List.of(jump(100, 20), ramp(60, 100, 20))),
        new LoadProfile(
            "medium",
            "a busy day: ramp to 500 devices and 100 sends a second, hold",
            List.of(ramp(30, 500, 100), ramp(90, 500, 100))),
        new LoadProfile(
            "high",
            "peak hour: ramp to 2,000 devices and 300 sends a second, hold",
            List.of(ramp(60, 2000, 300), ramp(120, 2000, 300))),
        new LoadProfile(
            "stress",
            "past the peak: steps to 6,000 devices and 1,200 sends a second, then down",
            List.of(
                ramp(60, 1000, 200),
                ramp(60, 2000, 400),
                ramp(60, 4000, 800),
                ramp(60, 6000, 1200),
                ramp(60, 6000, 1200),
                ramp(30, 0, 0))),
        new LoadProfile(
            "soak",
            "a long steady run (30 minutes) that shows leaks: 500 devices, 50 sends a second",
            List.of(ramp(30, 500, 50), ramp(1770, 500, 50))),
        new LoadProfile(
            "spike",
            "a sudden crowd: 100 devices, 3,000 within 10 s for a minute, back to 100",
            List.of(
                jump(100, 20),
                ramp(30, 100, 20),
                ramp(10, 3000, 500),
                ramp(60, 3000, 500),
                ramp(10, 100, 20),
                ramp(30, 100, 20))));
  }

  /** The profile called {@code name}; the exception lists the names there are. */
  public static LoadProfile named(String name) {
    return all().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown profile '"
                        + name
                        + "'; profiles: "
                        + String.join(", ", all().stream().map(LoadProfile::name).toList())));
  }

  /** The same stages stretched or shrunk to last {@code length} in all (for short test runs). */
  public LoadProfile lasting(Duration length) {
    double factor = (double) length.toNanos() / duration().toNanos();
    List<Stage> scaled = new ArrayList<>();
    for (Stage s : stages) {
      scaled.add(
          new Stage(
              Duration.ofNanos(Math.round(s.duration().toNanos() * factor)),
              s.devices(),
              s.sendsPerSecond()));
    }
    return new LoadProfile(name, purpose, scaled);
  }

  /** The same shape with every stage's devices scaled so that the peak is {@code peak}. */
  public LoadProfile peakingAt(int peak) {
    double factor = (double) peak / peakDevices();
    return new LoadProfile(
        name,
        purpose,
        stages.stream()
            .map(
                s ->
                    new Stage(
                        s.duration(), (int) Math.round(s.devices() * factor), s.sendsPerSecond()))
            .toList());
  }

  /** How long the run lasts. */
  public Duration duration() {
    return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
  }

  /** The most devices connected at once. */
  public int peakDevices() {
    return stages.stream().mapToInt(Stage::devices).max().orElse(0);
  }

  /** Devices and rate {@code elapsed} into the run (the last stage's values after its end). */
  public Point at(Duration elapsed) {
    int fromDevices = 0;
    double fromRate = 0;
    Duration start = Duration.ZERO;
    for (Stage s : stages) {
      Duration end = start.plus(s.duration());
      if (elapsed.compareTo(end) < 0) {
        double f =
            s.duration().isZero()
                ? 1
                : (double) elapsed.minus(start).toNanos() / s.duration().toNanos();
        return new Point(
            (int) Math.round(fromDevices + (s.devices() - fromDevices) * f),
            fromRate + (s.sendsPerSecond() - fromRate) * f);
      }
      fromDevices = s.devices();
      fromRate = s.sendsPerSecond();
      start = end;
    }
    return new Point(fromDevices, fromRate);
  }

  /** A stage of no length: the values change at once (a profile that starts at full load). */
  private static Stage jump(int devices, int rate) {
    return new Stage(Duration.ZERO, devices, rate);
  }

  private static Stage ramp(int seconds, int devices, int rate) {
    return new Stage(Duration.ofSeconds(seconds), devices, rate);
  }
}
