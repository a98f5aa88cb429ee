package dev.switchboard.gateway;

import java.util.List;
import java.util.Optional;

/**
 * The stored {@link Template}s, by id: at most {@link #maxCount()} of them (setting {@code
 * templates.max_count}, 1000 by default). {@link #inMemory} is the embedded default and forgets
 * every template on restart; a shared engine (Redis) must answer the same, as the contract tests of
 * this module ({@code TemplatesContract}) check for both.
 *
 * <p>Thread-safe. The in-memory store never blocks; a networked one may (and throws {@link
 * SharedStateException} when its engine cannot answer), so callers use it from virtual threads or
 * other threads that may block, never from an event loop.
 */
public interface Templates {

  /** What {@link #create} did. */
  sealed interface Creation {
    /** The template is stored. */
    record Created(Template template) implements Creation {}

    /** A template with the same id is stored already, and stays as it was. */
    record AlreadyExists(Template existing) implements Creation {}

    /** {@link #maxCount()} templates are stored already; nothing changed. */
    record Full(int maxCount) implements Creation {}
  }

  /** Stores {@code template} unless its id is taken or the store is full. */
  Creation create(Template template);

  /** The template {@code id}; empty when there is none. */
  Optional<Template> get(String id);

  /** Every template, by id in ascending order; a snapshot. */
  List<Template> list();

  /**
   * Replaces the template with {@code template}'s id by {@code template}; false (and nothing
   * stored) when there is none.
   */
  boolean replace(Template template);

  /** Forgets the template {@code id}; false when there was none. */
  boolean delete(String id);

  /** The most templates this store keeps. */
  int maxCount();

  /**
   * This store as {@code tenant} sees it: its templates alone, by the ids it gave them ({@code
   * <tenant>~<id>} inside, the default tenant's ids as they are). {@link #maxCount()} stays the
   * store's, for every tenant together.
   */
  default Templates in(Tenant tenant) {
    return new TenantTemplates(this, tenant);
  }

  /**
   * The embedded store, keeping at most {@code maxCount} templates.
   *
   * @throws IllegalArgumentException when {@code maxCount} is less than 1
   */
  static Templates inMemory(int maxCount) {
    return new InMemoryTemplates(maxCount);
  }
}
