package dev.meshbone.registry.products.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshbone.events.FieldChange;
import dev.meshbone.events.ProductChange;
import dev.meshbone.registry.products.view.Dto.DescriptorDto;
import dev.meshbone.registry.products.view.Dto.LifecycleDto;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The JSON of a product's history and of a product as it was at an instant. */
public final class HistoryViews {
  private HistoryViews() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record FieldDto(String field, @Nullable String before, @Nullable String after) {}

  /** One change: when, who, what kind, which fields, and the record the registry read it from. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ChangeDto(
      long seq,
      String at,
      String actor,
      String kind,
      List<FieldDto> changes,
      @Nullable String topic,
      @Nullable Integer partition,
      @Nullable Long offset) {}

  /** Changes oldest first; {@code nextAfter}: give it as {@code after} for the next page. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record HistoryPage(String productId, List<ChangeDto> changes, @Nullable Long nextAfter) {}

  /** A product as it was at {@code asOf}, folded from its history. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ProductAsOf(
      String id,
      String domain,
      String asOf,
      @Nullable String changedAt,
      @Nullable Long seq,
      @Nullable DescriptorDto descriptor,
      LifecycleDto lifecycle,
      @Nullable Integer contractVersion,
      @Nullable String health,
      long subscriberCount,
      long openIssues) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record CatalogueAsOf(String asOf, List<ProductAsOf> items, @Nullable String nextCursor) {}

  static ChangeDto change(ProductChange c) {
    return new ChangeDto(
        c.getSeq(),
        c.getAt().toString(),
        c.getActor(),
        c.getKind().name(),
        c.getChanges().stream().map(HistoryViews::field).toList(),
        c.getTopic(),
        c.getPartition(),
        c.getOffset());
  }

  private static FieldDto field(FieldChange f) {
    return new FieldDto(f.getField(), f.getBefore(), f.getAfter());
  }
}
