package dev.switchboard.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Map.entry;

import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What {@link HttpApiFuzzTest} sends: requests to the notification and template endpoints whose
 * bodies start valid and are then changed field by field (any JSON value in any field, a field
 * dropped or given twice, unknown fields) and sometimes damaged whole (no JSON, cut short, invalid
 * UTF-8, another JSON type, empty, over the limit), with headers mostly right (the API key,
 * Content-Type, X-Tenant-ID, Idempotency-Key); and requests of any method to odd paths.
 */
final class ApiRequests {

  /** A template that exists: sends may name it. */
  static final String TEMPLATE = "fz-template";

  static final String API_KEY = PushFixture.API_KEY;

  /** {@code http.max_body_bytes}, the default. */
  static final int MAX_BODY = 64 << 10;

  private ApiRequests() {}

  /** A request: method, path (and query), headers (name, value, ...), body. */
  record ApiRequest(String method, String path, List<String> headers, byte[] body) {
    @Override
    public String toString() {
      String text = new String(body, UTF_8);
      return method
          + " "
          + path
          + " "
          + headers
          + " "
          + (text.length() > 300
              ? text.substring(0, 300) + "... (" + body.length + " bytes)"
              : text);
    }
  }

  /** Fields by name, each with plausible values: the first valid, the others not quite. */
  private static final Map<String, List<String>> VALUES =
      Map.ofEntries(
          entry("target_user_id", List.of("'alice'", "'bob'", "''", "' alice'")),
          entry("target_user_ids", List.of("['alice']", "['alice','bob']", "[]", "['alice',1]")),
          entry(
              "channel", List.of("'orders'", "'news'", "'no spaces!'", "'" + "c".repeat(65) + "'")),
          entry("channels", List.of("['orders','news']", "['news']", "[]", "['bad/name']")),
          entry("event_type", List.of("'fuzz'", "''", "' '", "'" + "e".repeat(300) + "'")),
          entry("payload", List.of("{'n':1}", "null", "[]", "[".repeat(65) + "]".repeat(65))),
          entry("priority", List.of("'High'", "'low'", "'Urgent'", "''")),
          entry("ttl", List.of("60", "0", "-5", "1.5", "'60'", "1e400")),
          entry("correlation_id", List.of("'c-1'", "'" + "c".repeat(300) + "'")),
          entry("template_id", List.of("'" + TEMPLATE + "'", "'missing'", "'bad id!'")),
          entry("variables", List.of("{'name':'x'}", "{}", "[]", "'x'")),
          entry("idempotency_key", List.of("'k-1'", "'k-2'", "''", "'has space'")),
          entry(
              "target",
              List.of(
                  "{'type':'user','id':'alice'}",
                  "{'type':'channel','name':'orders'}",
                  "{'type':'broadcast'}",
                  "{'type':'users','ids':['alice','bob']}",
                  "{'type':'channels','value':['orders','news']}",
                  "{'type':'nope'}",
                  "{'type':'user'}",
                  "{'type':'user','id':'alice','value':'alice'}")),
          entry(
              "notifications",
              List.of("[]", "'x'", "[1]", "[" + ",{}".repeat(101).substring(1) + "]")),
          entry("atomic", List.of("false", "true", "'yes'")),
          entry(
              "options", List.of("{'deduplicate':true}", "{'stop_on_error':true}", "{'atomic':1}")),
          entry("id", List.of("'fz-1'", "'fz-2'", "'" + TEMPLATE + "'", "'bad id!'", "''")),
          entry("name", List.of("'Fuzz'", "''", "'" + "n".repeat(300) + "'")),
          entry(
              "payload_template",
              List.of("{'t':'{{name}}'}", "'{{name}}'", "null", "{'a':'{{a.b.0}}'}")),
          entry("description", List.of("'d'", "null", "'" + "d".repeat(1100) + "'")),
          entry("default_ttl", List.of("60", "-1")),
          entry("default_priority", List.of("'Low'", "7")));

  /** The endpoints that take a body: method, path, required fields. */
  private static final List<List<String>> ENDPOINTS =
      List.of(
          List.of("POST", "/api/v1/notifications/send", "target_user_id", "event_type", "payload"),
          List.of(
              "POST",
              "/api/v1/notifications/send-to-users",
              "target_user_ids",
              "event_type",
              "payload"),
          List.of("POST", "/api/v1/notifications/broadcast", "event_type", "payload"),
          List.of("POST", "/api/v1/notifications/channel", "channel", "event_type", "payload"),
          List.of("POST", "/api/v1/notifications/channels", "channels", "event_type", "payload"),
          List.of("POST", "/api/v1/notifications/batch", "notifications"),
          List.of("POST", "/api/v1/templates", "id", "name", "event_type", "payload_template"),
          List.of("PUT", "/api/v1/templates/fz-1", "name", "payload_template"));

  /** A change to a valid body: set a field (to a plausible value or any JSON), drop, repeat it. */
  record Change(String action, String field, String value) {}

  /**
   * Requests to an endpoint that takes a body: a valid body for it, changed a few times, maybe
   * damaged; headers mostly right.
   */
  static Arbitrary<ApiRequest> wellAimed() {
    Arbitrary<List<List<Change>>> items = changes().list().ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(Arbitraries.of(ENDPOINTS), changes(), items, headers(), damage())
        .as(
            (endpoint, changes, itemChanges, headers, damage) -> {
              List<String> required = endpoint.subList(2, endpoint.size());
              List<String> batch =
                  itemChanges.stream()
                      .map(c -> object(List.of("target", "event_type", "payload"), c, Map.of()))
                      .toList();
              String body =
                  object(
                      required,
                      changes,
                      Map.of("notifications", "[" + String.join(",", batch) + "]"));
              return new ApiRequest(endpoint.get(0), endpoint.get(1), headers, damage.apply(body));
            });
  }

  private static Arbitrary<List<Change>> changes() {
    Arbitrary<String> field =
        Arbitraries.oneOf(
            Arbitraries.of(List.copyOf(VALUES.keySet())),
            Arbitraries.of("", "EVENT_TYPE", "__proto__", "unknown"));
    Arbitrary<Change> plausible =
        Combinators.combine(
                Arbitraries.of("set", "repeat"), field, Arbitraries.integers().between(0, 9))
            .as(
                (a, f, i) -> {
                  List<String> v = VALUES.getOrDefault(f, List.of("1"));
                  return new Change(a, f, PushHttp.json(v.get(i % v.size())));
                });
    Arbitrary<Change> any =
        Combinators.combine(Arbitraries.of("set", "repeat"), field, anyJson(2)).as(Change::new);
    Arbitrary<Change> drop = field.map(f -> new Change("drop", f, ""));
    Arbitrary<Change> template = Arbitraries.just(new Change("template", "", ""));
    return Arbitraries.frequencyOf(
            Tuple.of(4, plausible), Tuple.of(3, any), Tuple.of(1, drop), Tuple.of(1, template))
        .list()
        .ofMaxSize(3);
  }

  /** The required fields with valid values (or {@code valid}'s), then {@code changes}, as JSON. */
  private static String object(
      List<String> required, List<Change> changes, Map<String, String> valid) {
    List<String[]> members = new ArrayList<>();
    for (String field : required) {
      members.add(
          new String[] {field, valid.getOrDefault(field, PushHttp.json(VALUES.get(field).get(0)))});
    }
    for (Change change : changes) {
      switch (change.action()) {
        case "drop" -> members.removeIf(m -> m[0].equals(change.field()));
        case "repeat" -> members.add(new String[] {change.field(), change.value()});
        case "template" -> {
          members.removeIf(m -> m[0].equals("event_type") || m[0].equals("payload"));
          members.add(
              new String[] {"template_id", PushHttp.json(VALUES.get("template_id").get(0))});
          members.add(new String[] {"variables", PushHttp.json(VALUES.get("variables").get(0))});
        }
        default -> {
          members.removeIf(m -> m[0].equals(change.field()));
          members.add(new String[] {change.field(), change.value()});
        }
      }
    }
    return members.stream()
        .map(m -> TextNode.valueOf(m[0]) + ":" + m[1])
        .collect(Collectors.joining(",", "{", "}"));
  }

  /** Any JSON value, as text: scalars of every type and edge, long strings, deep nesting. */
  private static Arbitrary<String> anyJson(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(
                "null",
                "true",
                "false",
                "0",
                "-0",
                "1e308",
                "1e400",
                "-1e400",
                "1e-400",
                "1e1001",
                "123456789012345678901234567890",
                "9223372036854775808",
                "0.1",
                "-1",
                "\"\""),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.strings().ofMaxLength(40).map(s -> TextNode.valueOf(s).toString()),
            Arbitraries.integers().between(0, 20_000).map(n -> "\"" + "x".repeat(n) + "\""),
            Arbitraries.of(64, 65, 128, 129, 5000).map(n -> "[".repeat(n) + "]".repeat(n)));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> array =
        anyJson(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> object =
        Combinators.combine(Arbitraries.strings().ofMaxLength(8), anyJson(depth - 1))
            .as((k, v) -> TextNode.valueOf(k) + ":" + v)
            .list()
            .ofMaxSize(3)
            .map(l -> "{" + String.join(",", l) + "}");
    return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
  }

  /** What becomes of a JSON body on its way: nothing, mostly; else it is no JSON object at all. */
  interface Damage {
    byte[] apply(String json);
  }

  private static Arbitrary<Damage> damage() {
    Arbitrary<Integer> at = Arbitraries.integers().greaterOrEqual(0);
    Arbitrary<byte[]> notUtf8 =
        Arbitraries.of(
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    return Arbitraries.frequencyOf(
        Tuple.of(24, Arbitraries.just(json -> json.getBytes(UTF_8))),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(b -> json -> b)),
        Tuple.of(1, at.map(i -> json -> json.substring(0, i % json.length()).getBytes(UTF_8))),
        Tuple.of(
            1,
            Combinators.combine(at, notUtf8)
                .as(
                    (i, bad) ->
                        json -> {
                          byte[] bytes = json.getBytes(UTF_8);
                          int cut = i % bytes.length;
                          return ClientFrames.concat(
                              Arrays.copyOf(bytes, cut),
                              bad,
                              Arrays.copyOfRange(bytes, cut, bytes.length));
                        })),
        Tuple.of(1, anyJson(2).map(other -> json -> other.getBytes(UTF_8))),
        Tuple.of(1, Arbitraries.just(json -> new byte[0])),
        Tuple.of(
            1,
            Arbitraries.just(
                json ->
                    (json.substring(0, json.length() - 1)
                            + ",\"pad\":\""
                            + "x".repeat(MAX_BODY)
                            + "\"}")
                        .getBytes(UTF_8))));
  }

  private static Arbitrary<List<String>> headers() {
    Arbitrary<List<String>> type =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just(List.of("Content-Type", "application/json"))),
            Tuple.of(1, Arbitraries.just(List.of())),
            Tuple.of(
                1,
                Arbitraries.of(
                        "text/plain",
                        "application/json; charset=iso-8859-1",
                        "*/*",
                        "multipart/form-data; boundary=x",
                        ";;")
                    .map(t -> List.of("Content-Type", t))));
    Arbitrary<List<String>> key =
        Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.just(List.of("X-API-Key", API_KEY))),
            Tuple.of(1, Arbitraries.just(List.of())),
            Tuple.of(
                1,
                Arbitraries.of("wrong-key-0123456789", API_KEY + "x", "")
                    .map(k -> List.of("X-API-Key", k))));
    Arbitrary<List<String>> tenant =
        Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.just(List.of())),
            Tuple.of(
                1,
                Arbitraries.of("default", "acme", "bad tenant!", "t".repeat(65), "")
                    .map(t -> List.of("X-Tenant-ID", t))));
    Arbitrary<List<String>> idempotency =
        Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.just(List.of())),
            Tuple.of(
                1,
                Arbitraries.strings()
                    .withCharRange(' ', '~')
                    .ofMaxLength(300)
                    .map(k -> List.of("Idempotency-Key", k))));
    return Combinators.combine(type, key, tenant, idempotency)
        .as((a, b, c, d) -> Stream.of(a, b, c, d).flatMap(List::stream).toList());
  }

  /** Any method on a known, nearly known or random path, with a query, a small body. */
  static Arbitrary<ApiRequest> odd() {
    Arbitrary<String> method =
        Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO");
    Arbitrary<String> segment =
        Arbitraries.strings().ofMinLength(1).ofMaxLength(20).map(s -> URLEncoder.encode(s, UTF_8));
    Arbitrary<String> path =
        Arbitraries.oneOf(
            Arbitraries.of(ENDPOINTS.stream().map(e -> e.get(1)).toList()),
            Arbitraries.of(
                "/api/v1/notifications/",
                "/api/v1/notifications/send/",
                "//api/v1/notifications/send",
                "/API/V1/NOTIFICATIONS/SEND",
                "/api/v1/notifications/send;x=1",
                "/api/v1/notifications/%73end",
                "/api/v1/templates/",
                "/api/v1/templates/a/b",
                "/api/v1/templates/" + TEMPLATE,
                "/",
                "/api"),
            segment.map(s -> "/api/v1/notifications/" + s),
            segment.map(s -> "/api/v1/templates/" + s),
            segment.map(s -> "/api/v1/channels/" + s),
            segment.map(s -> "/api/v1/users/" + s + "/subscriptions"),
            segment.map(s -> "/api/v1/tenants/" + s));
    Arbitrary<String> query =
        Combinators.combine(segment, segment)
            .as((k, v) -> k + "=" + v)
            .list()
            .ofMaxSize(3)
            .map(q -> q.isEmpty() ? "" : "?" + String.join("&", q));
    Arbitrary<String> body =
        Arbitraries.of(
            "", "{}", PushHttp.json("{'event_type':'odd','payload':1,'target_user_id':'nobody'}"));
    return Combinators.combine(method, path, query, body, headers())
        .as((m, p, q, b, h) -> new ApiRequest(m, p + q, h, b.getBytes(UTF_8)));
  }

  /** The names of the fields the bodies are made of. */
  static final List<String> FIELDS = List.copyOf(VALUES.keySet());
}
