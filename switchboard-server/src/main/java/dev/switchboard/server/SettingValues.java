package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.redis.RedisSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The values of every {@link Setting} from the three layers ({@link ConfigLoader} says which wins),
 * and their typed readings: each reading that fails is reported once, as a line naming the key,
 * where its value came from, the value (never a secret's) and what is allowed, and the loader goes
 * on so that every problem is reported together.
 */
final class SettingValues {

  private final Map<Setting, Value> values = new EnumMap<>(Setting.class);
  private final Map<String, String> otelEnvironment = new java.util.TreeMap<>();

  /** Every problem found so far, one line each. */
  private final List<String> errors = new ArrayList<>();

  /** One value and where it came from ("config.toml", "SWITCHBOARD_PORT", "--port"). */
  private record Value(String text, String source) {}

  private SettingValues() {}

  /** Reads the TOML file, then the environment, then the flags, each overriding the one before. */
  static SettingValues read(
      Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
    SettingValues loader = new SettingValues();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            loader.otelEnvironment.put(name, value);
          }
        });
    file.ifPresent(loader::readToml);
    for (Setting s : Setting.values()) {
      String fromEnv = environment.get(s.environmentVariable());
      String name = s.environmentVariable();
      if (fromEnv == null && s.alias().isPresent()) {
        fromEnv = environment.get(s.alias().get());
        name = s.alias().get();
      }
      if (fromEnv != null) {
        loader.values.put(s, new Value(fromEnv, name));
      }
    }
    flags.forEach(
        (key, text) ->
            Setting.byKey(key)
                .ifPresentOrElse(
                    setting -> loader.values.put(setting, new Value(text, flag(key))),
                    () ->
                        loader.errors.add(
                            "unknown setting \""
                                + key
                                + "\" on the command line (--set "
                                + key
                                + "=...); known settings: "
                                + known())));
    return loader;
  }

  /** Reports a problem. */
  void error(String problem) {
    errors.add(problem);
  }

  /** The problems so far, one line each. */
  List<String> errors() {
    return List.copyOf(errors);
  }

  int errorCount() {
    return errors.size();
  }

  /** The {@code OTEL_*} variables of the environment. */
  Map<String, String> otelEnvironment() {
    return otelEnvironment;
  }

  /** How the command line names {@code key}: its own option, or {@code --set}. */
  private static String flag(String key) {
    return switch (key) {
      case "mode", "host", "port" -> "--" + key;
      default -> "--set " + key;
    };
  }

  private void readToml(Path file) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      errors.add("cannot read config file " + file + ": " + e.getMessage());
      return;
    }
    flatten("", root, file.toString());
  }

  private void flatten(String prefix, JsonNode node, String source) {
    node.properties()
        .forEach(
            field -> {
              String key = prefix + field.getKey();
              JsonNode value = field.getValue();
              if (value.isObject()) {
                flatten(key + ".", value, source);
                return;
              }
              Optional<Setting> setting = Setting.byKey(key);
              if (setting.isEmpty()) {
                errors.add(
                    "unknown setting \""
                        + key
                        + "\" in "
                        + source
                        + "; known settings: "
                        + known());
                return;
              }
              String text = value.isArray() ? joined(value) : value.asText();
              values.put(setting.get(), new Value(text, source));
            });
  }

  private static String joined(JsonNode array) {
    return String.join(
        ",",
        java.util.stream.StreamSupport.stream(array.spliterator(), false)
            .map(JsonNode::asText)
            .toList());
  }

  private static String known() {
    return String.join(", ", Arrays.stream(Setting.values()).map(Setting::key).toList());
  }

  /** What {@code group} builds; empty, with its problem reported, when it refuses the values. */
  <T> Optional<T> combined(Supplier<T> group) {
    try {
      return Optional.of(group.get());
    } catch (IllegalArgumentException | IllegalStateException e) {
      errors.add(e.getMessage());
      return Optional.empty();
    }
  }

  Optional<String> text(Setting s) {
    Value v = values.get(s);
    String text = v == null ? s.defaultValue() : v.text().trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /**
   * {@code s}'s value, parsed; when it does not parse, the problem is reported and the default's
   * value stands in, so that the other settings are still checked.
   */
  <T> T get(Setting s, Function<String, T> parse, String allowed) {
    return attempt(s, parse, allowed).orElseGet(() -> parse.apply(s.defaultValue()));
  }

  /** {@code s}'s value, parsed; empty, with the problem reported, when it does not parse. */
  <T> Optional<T> attempt(Setting s, Function<String, T> parse, String allowed) {
    String text = text(s).orElse(s.defaultValue());
    try {
      return Optional.of(parse.apply(text));
    } catch (RuntimeException e) {
      Value v = values.get(s);
      String from = v == null ? "the default" : v.source();
      // A secret is never echoed back.
      String shown =
          s == Setting.API_KEY
                  || s == Setting.JWT_SECRET
                  || s == Setting.TENANT_API_KEYS
                  || s == Setting.ADMIN_TOKEN
              ? "(hidden, " + text.length() + " characters)"
              : "\"" + (s == Setting.REDIS_URL ? RedisSettings.redact(text) : text) + "\"";
      errors.add(
          "invalid "
              + s.key()
              + " from "
              + from
              + ": "
              + shown
              + "; allowed: "
              + allowed
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
      return Optional.empty();
    }
  }

  int integer(Setting s, int min, int max) {
    return get(
        s,
        text -> {
          long n = Long.parseLong(text);
          if (n < min || n > max) {
            throw new IllegalArgumentException("out of range");
          }
          return (int) n;
        },
        "a whole number from " + min + " to " + max);
  }

  static boolean bool(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }

  Duration seconds(Setting s, int min) {
    return Duration.ofSeconds(integer(s, min, 86_400 * 365));
  }

  /**
   * {@code tenant=value,...} with each value parsed by {@code parse}.
   *
   * @throws IllegalArgumentException naming the pair that is not one
   */
  static <T> Map<Tenant, T> perTenant(String text, Function<String, T> parse) {
    Map<Tenant, T> out = new java.util.LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int at = pair.indexOf('=');
      if (at < 0) {
        throw new IllegalArgumentException("not tenant=value");
      }
      Tenant tenant = new Tenant(pair.substring(0, at).trim());
      if (out.put(tenant, parse.apply(pair.substring(at + 1).trim())) != null) {
        throw new IllegalArgumentException("tenant " + tenant.id() + " is named twice");
      }
    }
    return out;
  }

  static int count(String text) {
    long n = Long.parseLong(text);
    if (n < 1 || n > 10_000_000) {
      throw new IllegalArgumentException("out of range");
    }
    return (int) n;
  }

  List<String> list(Setting s) {
    return text(s)
        .map(t -> Arrays.stream(t.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }
}
