package dev.switchboard.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** {@link Templates} in memory: one lock over a sorted map. Templates are immutable records. */
final class InMemoryTemplates implements Templates {

  private final int maxCount;

  /** Guarded by {@code this}. */
  private final TreeMap<String, Template> byId = new TreeMap<>();

  InMemoryTemplates(int maxCount) {
    if (maxCount < 1) {
      throw new IllegalArgumentException("templates.max_count must be at least 1, got " + maxCount);
    }
    this.maxCount = maxCount;
  }

  @Override
  public synchronized Creation create(Template template) {
    Objects.requireNonNull(template, "template");
    Template existing = byId.get(template.id());
    if (existing != null) {
      return new Creation.AlreadyExists(existing);
    }
    if (byId.size() >= maxCount) {
      return new Creation.Full(maxCount);
    }
    byId.put(template.id(), template);
    return new Creation.Created(template);
  }

  @Override
  public synchronized Optional<Template> get(String id) {
    return Optional.ofNullable(byId.get(Objects.requireNonNull(id, "id")));
  }

  @Override
  public synchronized List<Template> list() {
    return List.copyOf(byId.values());
  }

  @Override
  public synchronized boolean replace(Template template) {
    Objects.requireNonNull(template, "template");
    return byId.replace(template.id(), template) != null;
  }

  @Override
  public synchronized boolean delete(String id) {
    return byId.remove(Objects.requireNonNull(id, "id")) != null;
  }

  @Override
  public int maxCount() {
    return maxCount;
  }
}
