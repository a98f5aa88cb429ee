package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleTemplates.json;
import static dev.switchboard.gateway.SampleTemplates.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link Template#render}: {@code {{var}}} and {@code {{nested.field}}} are replaced in every
 * string of the payload template, at any depth; a string that is exactly one placeholder takes the
 * variable's JSON type; a missing variable is an error naming it.
 */
class TemplateRenderTest {

  private static JsonNode render(String payloadTemplate, String variables) {
    return template("t", payloadTemplate).render(json(variables));
  }

  @Test
  void arasExampleRendersAsItsDocumentationSays() {
    JsonNode out =
        render(
            """
            {"title": "Order {{order_id}} Shipped!",
             "body": "Your order is on the way. Tracking: {{tracking_number}}",
             "action": {"type": "open_url", "url": "/orders/{{order_id}}/tracking"}}""",
            "{\"order_id\": \"ORD-001\", \"tracking_number\": \"TRK-12345\"}");

    assertThat(out)
        .isEqualTo(
            json(
                """
                {"title": "Order ORD-001 Shipped!",
                 "body": "Your order is on the way. Tracking: TRK-12345",
                 "action": {"type": "open_url", "url": "/orders/ORD-001/tracking"}}"""));
  }

  @Test
  void placeholdersAreReplacedInNestedObjectsAndArrays() {
    JsonNode out =
        render(
            "{\"a\": [\"x{{v}}\", [{\"b\": \"{{v}}y\"}]], \"n\": 1, \"t\": true, \"z\": null}",
            "{\"v\": \"!\"}");

    assertThat(out)
        .isEqualTo(
            json("{\"a\": [\"x!\", [{\"b\": \"!y\"}]], \"n\": 1, \"t\": true, \"z\": null}"));
  }

  @Test
  void aNestedFieldIsReadThroughObjectsAndArrayIndices() {
    JsonNode out =
        render(
            "\"{{user.name.first}} bought {{items.1.sku}}\"",
            "{\"user\": {\"name\": {\"first\": \"Ada\"}}, \"items\": [{\"sku\": \"A\"}, {\"sku\": \"B\"}]}");

    assertThat(out.textValue()).isEqualTo("Ada bought B");
  }

  @Test
  void aStringThatIsOnlyAPlaceholderTakesTheVariablesJsonType() {
    JsonNode out =
        render(
            "{\"n\": \"{{n}}\", \"o\": \"{{o}}\", \"a\": \"{{a}}\", \"b\": \"{{ b }}\", \"z\": \"{{z}}\"}",
            "{\"n\": 99.5, \"o\": {\"k\": [1]}, \"a\": [1, \"x\"], \"b\": false, \"z\": null}");

    assertThat(out)
        .isEqualTo(
            json(
                "{\"n\": 99.5, \"o\": {\"k\": [1]}, \"a\": [1, \"x\"], \"b\": false, \"z\": null}"));
  }

  @Test
  void withinLongerTextAVariableIsItsTextOrItsJson() {
    JsonNode out =
        render(
            "\"{{s}}|{{n}}|{{b}}|{{z}}|{{o}}\"",
            "{\"s\": \"text\", \"n\": 7, \"b\": true, \"z\": null, \"o\": {\"k\": \"v\"}}");

    assertThat(out.textValue()).isEqualTo("text|7|true|null|{\"k\":\"v\"}");
  }

  @Test
  void aMissingVariableIsAnErrorNamingIt() {
    assertThatThrownBy(
            () -> render("{\"a\": \"{{order_id}} {{tracking.number}}\"}", "{\"order_id\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "variable \"tracking.number\" is missing: the template uses {{tracking.number}}");
  }

  @Test
  void aPathThroughAScalarIsMissing() {
    assertThatThrownBy(() -> render("\"{{a.b}}\"", "{\"a\": \"text\"}"))
        .hasMessageContaining("variable \"a.b\" is missing");
  }

  @Test
  void aNullVariableIsPresent() {
    assertThat(render("\"{{z}}\"", "{\"z\": null}").isNull()).isTrue();
  }

  @Test
  void fieldNamesAndTextThatIsNoPlaceholderAreLeftAlone() {
    JsonNode out =
        render("{\"{{k}}\": \"{{ }} {{a b}} {x} {{k}\", \"e\": \"{{}}\"}", "{\"k\": \"v\"}");

    assertThat(out).isEqualTo(json("{\"{{k}}\": \"{{ }} {{a b}} {x} {{k}\", \"e\": \"{{}}\"}"));
  }

  @Test
  void textAVariableBringsInIsNotSubstitutedAgain() {
    JsonNode out = render("\"a {{x}} b\"", "{\"x\": \"{{y}}\", \"y\": \"no\"}");

    assertThat(out.textValue()).isEqualTo("a {{y}} b");
  }

  @Test
  void variablesMustBeAnObject() {
    assertThatThrownBy(() -> render("\"{{x}}\"", "[1]"))
        .hasMessage("variables must be an object, got [1]");
  }

  @Test
  void aLargeVariableUsedManyTimesIsRefusedBeyondTheRenderingLimit() {
    String payload = "\"" + "{{big}}".repeat(20) + "\"";
    String big = "x".repeat((int) (Template.MAX_RENDERED_CHARS / 10));

    assertThatThrownBy(() -> render(payload, "{\"big\": \"" + big + "\"}"))
        .hasMessageContaining("the rendered payload is too large");
  }

  @Test
  void renderingChangesNeitherTheTemplateNorTheVariables() {
    Template t = template("t", "{\"a\": \"{{o}}\"}");
    JsonNode variables = json("{\"o\": {\"k\": 1}}");

    JsonNode out = t.render(variables);
    ((com.fasterxml.jackson.databind.node.ObjectNode) out.get("a")).put("k", 2);

    assertThat(t.payloadTemplate()).isEqualTo(json("{\"a\": \"{{o}}\"}"));
    assertThat(variables).isEqualTo(json("{\"o\": {\"k\": 1}}"));
  }

  @Property
  void aTemplateWithoutPlaceholdersRendersToItself(@ForAll("plainJson") JsonNode payload) {
    assertThat(template("t", payload.toString()).render(Json.nodes().objectNode()))
        .isEqualTo(payload);
  }

  @Property
  void anyTextVariableIsInsertedVerbatim(
      @ForAll("text") String prefix, @ForAll("text") String value, @ForAll("text") String suffix) {
    JsonNode variables = Json.nodes().objectNode().put("v", value);
    Template t = template("t", Json.nodes().textNode(prefix + "{{v}}" + suffix).toString());

    assertThat(t.render(variables).textValue()).isEqualTo(prefix + value + suffix);
  }

  @Provide
  Arbitrary<String> text() {
    // Braces included, but never a whole placeholder in the prefix or suffix.
    return Arbitraries.strings()
        .withChars("ab {}$\\\"\n\u00e9")
        .ofMaxLength(12)
        .filter(
            s -> !s.contains("{{") && !s.contains("}}") && !s.endsWith("{") && !s.startsWith("}"));
  }

  @Provide
  Arbitrary<JsonNode> plainJson() {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.integers().map(i -> (JsonNode) Json.nodes().numberNode(i)),
            Arbitraries.strings()
                .withChars("ab {}.$")
                .ofMaxLength(8)
                .filter(s -> !s.matches("(?s).*\\{\\{\\s*[A-Za-z0-9_.-]+\\s*}}.*"))
                .map(s -> (JsonNode) Json.nodes().textNode(s)),
            Arbitraries.of(true, false).map(b -> (JsonNode) Json.nodes().booleanNode(b)));
    return Arbitraries.recursive(
        () -> scalars,
        inner ->
            Arbitraries.oneOf(
                inner
                    .list()
                    .ofMaxSize(3)
                    .map(items -> (JsonNode) Json.nodes().arrayNode().addAll(items)),
                inner
                    .list()
                    .ofMaxSize(3)
                    .map(
                        items -> {
                          var object = Json.nodes().objectNode();
                          for (int i = 0; i < items.size(); i++) {
                            object.set("k" + i, items.get(i));
                          }
                          return (JsonNode) object;
                        })),
        0,
        4);
  }
}
