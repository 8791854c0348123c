package dev.meshbone.registry.products.subscriptions;

import dev.meshbone.contracts.FieldBreaks;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.registry.products.catalog.ProductState;
import dev.meshbone.registry.schema.ContractImpact;
import dev.meshbone.runtime.http.ApiException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Turns a consumer's declaration ({@code fields}, or a {@code readerSchema} whose leaf fields are
 * taken) into the read set stored with its subscription, checked against the product's current
 * contract (the latest live version of its subject): a path that does not exist there is a 400
 * naming it.
 */
@Singleton
public class FieldDeclarations {
  /** At most this many fields in one read set. */
  public static final int MAX_FIELDS = FieldBreaks.MAX_DERIVED_PATHS;

  private final ContractImpact contracts;

  public FieldDeclarations(ContractImpact contracts) {
    this.contracts = contracts;
  }

  /**
   * The read set declared, or null when the request declares none (neither is given).
   *
   * @throws ApiException 400 INVALID_FIELDS with what is wrong
   */
  public List<String> resolve(
      String productId, DataProductEvent product, List<String> fields, String readerSchema) {
    if (fields == null && readerSchema == null) {
      return null;
    }
    if (fields != null && readerSchema != null) {
      throw invalid("give fields or readerSchema, not both");
    }
    List<String> declared;
    if (readerSchema != null) {
      Schema reader;
      try {
        reader = new Schema.Parser().parse(readerSchema);
      } catch (RuntimeException e) {
        throw invalid("readerSchema is not a valid Avro schema: " + e.getMessage());
      }
      declared = FieldBreaks.leafPaths(reader);
      if (declared.isEmpty()) {
        throw invalid("readerSchema has no fields: give the record the consumer reads");
      }
    } else {
      declared = new ArrayList<>(new LinkedHashSet<>(fields));
      if (declared.contains(null)) {
        throw invalid("a field is null: give dot paths such as \"site.code\"");
      }
    }
    if (declared.size() > MAX_FIELDS) {
      throw invalid(declared.size() + " fields; at most " + MAX_FIELDS + " may be declared");
    }
    if (declared.isEmpty()) {
      return List.of(); // an empty list clears the read set
    }
    String subject =
        dev.meshbone.contracts.Subjects.canonical(ProductState.contractSubject(productId, product));
    var latest = contracts.latest(subject);
    if (latest.isEmpty()) {
      throw invalid(
          productId
              + " has no contract version under "
              + subject
              + " yet, so it has no fields to declare");
    }
    List<String> problems = new ArrayList<>();
    for (String field : declared) {
      FieldBreaks.pathProblem(latest.get().schema(), field).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      throw invalid(
          String.join("; ", problems)
              + " (version "
              + latest.get().version()
              + " of "
              + subject
              + ")");
    }
    return List.copyOf(declared);
  }

  private static ApiException invalid(String message) {
    return ApiException.badRequest("INVALID_FIELDS", message);
  }
}
