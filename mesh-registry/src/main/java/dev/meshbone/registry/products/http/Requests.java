package dev.meshbone.registry.products.http;

import dev.meshbone.events.Classification;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.registry.products.view.Dto.DescriptorDto;
import dev.meshbone.runtime.http.ApiException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Request bodies turned into the mesh's records. Only the shape is checked here (required fields,
 * enum names, times); what the mesh's rules say about a product (ownership, lifecycle, SLOs,
 * inputs) is contract-validator's to decide, and its verdict is the answer.
 */
final class Requests {
  private static final int MAX_EVENT_ID = 200;

  private Requests() {}

  static ProductDescriptor descriptor(DescriptorDto d) {
    if (d == null) {
      throw ApiException.badRequest("INVALID_REQUEST", "descriptor is required");
    }
    if (d.name() == null || d.name().isBlank()) {
      throw ApiException.badRequest("INVALID_REQUEST", "descriptor.name is required");
    }
    var b =
        ProductDescriptor.newBuilder()
            .setName(d.name())
            .setDescription(d.description())
            .setOwner(
                d.owner() == null || d.owner().team() == null
                    ? null
                    : Owner.newBuilder()
                        .setTeam(d.owner().team())
                        .setContact(d.owner().contact())
                        .build())
            .setTags(list(d.tags()))
            .setGlossaryTerms(list(d.glossaryTerms()))
            .setClassification(
                d.classification() == null
                    ? Classification.UNCLASSIFIED
                    : enumValue(
                        "descriptor.classification", d.classification(), Classification.class))
            .setInputs(list(d.inputs()))
            .setContractSubject(
                d.contractSubject() == null || d.contractSubject().isBlank()
                    ? null
                    : d.contractSubject())
            .setSubscriptionPolicy(
                d.subscriptionPolicy() == null
                    ? SubscriptionPolicy.OWNER_APPROVAL
                    : enumValue(
                        "descriptor.subscriptionPolicy",
                        d.subscriptionPolicy(),
                        SubscriptionPolicy.class))
            .setSunsetAt(Bodies.instant("descriptor.sunsetAt", d.sunsetAt()))
            .setSuccessor(d.successor() == null || d.successor().isBlank() ? null : d.successor())
            .setProperties(
                d.properties() == null
                    ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(d.properties()));
    if (d.slos() != null) {
      b.setSlos(
          ServiceLevels.newBuilder()
              .setMaxStalenessMs(d.slos().maxStalenessMs())
              .setMinPassRate(d.slos().minPassRate())
              .setMinVolume(d.slos().minVolume())
              .setVolumeWindowMs(d.slos().volumeWindowMs())
              .setMaxRejectionRate(d.slos().maxRejectionRate())
              .build());
    }
    return b.build();
  }

  static QualityDimension dimension(String value) {
    return value == null
        ? QualityDimension.OTHER
        : enumValue("dimension", value, QualityDimension.class);
  }

  static String eventId(String given) {
    if (given == null || given.isBlank()) {
      return UUID.randomUUID().toString();
    }
    if (given.length() > MAX_EVENT_ID) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "eventId is longer than " + MAX_EVENT_ID + " characters");
    }
    return given;
  }

  private static List<String> list(List<String> values) {
    if (values == null) {
      return new java.util.ArrayList<>();
    }
    if (values.stream().anyMatch(v -> v == null)) {
      throw ApiException.badRequest("INVALID_REQUEST", "a list in the descriptor holds a null");
    }
    return new java.util.ArrayList<>(values);
  }

  static <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          field
              + " '"
              + Ids.printable(value)
              + "' is invalid: expected one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(Enum::name)
                  .collect(Collectors.joining(", ")));
    }
  }
}
