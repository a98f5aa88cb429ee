package dev.switchboard.bench.load;

/**
 * One pass/fail rule of a run and how it went: {@code name} what is measured, {@code limit} the
 * rule as written ({@code "> 95%"}, {@code "< 100 ms"}), {@code measured} the value found.
 */
public record Threshold(String name, String limit, String measured, boolean passed) {}
