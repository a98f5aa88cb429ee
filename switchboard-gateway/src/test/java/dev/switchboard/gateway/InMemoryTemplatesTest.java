package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleTemplates.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The templates contract on the embedded default, which forgets every template on restart. */
class InMemoryTemplatesTest extends TemplatesContract {

  @Override
  protected Templates templates(int maxCount) {
    return Templates.inMemory(maxCount);
  }

  @Test
  void aStoreKeepsAtLeastOneTemplate() {
    assertThatThrownBy(() -> Templates.inMemory(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("templates.max_count must be at least 1, got 0");
  }

  @Test
  void aRestartedStoreHasNoTemplates() {
    Templates.inMemory(10).create(template("t1"));

    assertThat(Templates.inMemory(10).list()).isEmpty();
  }
}
