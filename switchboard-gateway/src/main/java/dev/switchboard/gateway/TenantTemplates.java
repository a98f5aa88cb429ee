package dev.switchboard.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link Templates#in}: one tenant's templates, by the ids it knows. */
final class TenantTemplates implements Templates {

  private final Templates all;
  private final Tenant tenant;

  TenantTemplates(Templates all, Tenant tenant) {
    this.all = Objects.requireNonNull(all, "all");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
  }

  /** The key of this tenant's template {@code id}; empty when {@code id} is not a template id. */
  private Optional<String> key(String id) {
    if (id == null || id.indexOf(Tenant.CHANNEL_SEPARATOR) >= 0) {
      return Optional.empty();
    }
    return Optional.of(tenant.isDefault() ? id : tenant.id() + Tenant.CHANNEL_SEPARATOR + id);
  }

  private String checkedKey(Template template) {
    Template.checkId(template.id());
    return key(template.id()).orElseThrow();
  }

  private static Template named(Template stored) {
    String key = stored.id();
    return stored.withId(key.substring(key.indexOf(Tenant.CHANNEL_SEPARATOR) + 1));
  }

  private boolean owns(String key) {
    int at = key.indexOf(Tenant.CHANNEL_SEPARATOR);
    return tenant.id().equals(at < 0 ? Tenant.DEFAULT.id() : key.substring(0, at));
  }

  @Override
  public Creation create(Template template) {
    return switch (all.create(template.withId(checkedKey(template)))) {
      case Creation.Created c -> new Creation.Created(named(c.template()));
      case Creation.AlreadyExists e -> new Creation.AlreadyExists(named(e.existing()));
      case Creation.Full f -> f;
    };
  }

  @Override
  public Optional<Template> get(String id) {
    return key(id).flatMap(all::get).map(TenantTemplates::named);
  }

  @Override
  public List<Template> list() {
    return all.list().stream().filter(t -> owns(t.id())).map(TenantTemplates::named).toList();
  }

  @Override
  public boolean replace(Template template) {
    return all.replace(template.withId(checkedKey(template)));
  }

  @Override
  public boolean delete(String id) {
    return key(id).map(all::delete).orElse(false);
  }

  @Override
  public int maxCount() {
    return all.maxCount();
  }

  @Override
  public Templates in(Tenant other) {
    return all.in(other);
  }
}
