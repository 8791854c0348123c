package dev.meshbone.client;

import dev.meshbone.events.Classification;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A data product as its owning domain declares it: its name inside the domain, a human name and
 * description, the owning team, tags and glossary terms for search, its data classification, its
 * service levels, the products it is derived from (lineage) and how subscriptions are approved.
 *
 * <p>Built with {@link #builder(String)}; immutable. {@link MeshClient#declare} makes the registry
 * hold exactly this declaration. The product's contract subject is always {@code
 * <domain>.<product>-value} (what {@link MeshClient#registerContract} writes).
 */
public final class ProductDeclaration {
  private final String product;
  private final String name;
  private final String description;
  private final String ownerTeam;
  private final String ownerContact;
  private final List<String> tags;
  private final List<String> glossaryTerms;
  private final Classification classification;
  private final Slos slos;
  private final List<String> inputs;
  private final SubscriptionPolicy subscriptionPolicy;
  private final Map<String, String> properties;

  private ProductDeclaration(Builder b) {
    this.product = b.product;
    this.name = b.name == null ? b.product : b.name;
    this.description = b.description;
    this.ownerTeam = b.ownerTeam;
    this.ownerContact = b.ownerContact;
    this.tags = List.copyOf(b.tags);
    this.glossaryTerms = List.copyOf(b.glossaryTerms);
    this.classification = b.classification;
    this.slos = b.slos;
    this.inputs = List.copyOf(b.inputs);
    this.subscriptionPolicy = b.subscriptionPolicy;
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
  }

  /**
   * A declaration of the product {@code product} of the client's domain, e.g. {@code "enrollments"}
   * for {@code clinical-trials.enrollments}.
   *
   * @throws dev.meshbone.topics.InvalidNameException when the name breaks the naming rules
   */
  public static Builder builder(String product) {
    return new Builder(product);
  }

  /** The product's name inside its domain. */
  public String product() {
    return product;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public String ownerTeam() {
    return ownerTeam;
  }

  public String ownerContact() {
    return ownerContact;
  }

  public List<String> tags() {
    return tags;
  }

  public List<String> glossaryTerms() {
    return glossaryTerms;
  }

  public Classification classification() {
    return classification;
  }

  public Slos slos() {
    return slos;
  }

  /** Product ids this product is derived from. */
  public List<String> inputs() {
    return inputs;
  }

  public SubscriptionPolicy subscriptionPolicy() {
    return subscriptionPolicy;
  }

  public Map<String, String> properties() {
    return properties;
  }

  /**
   * This declaration as the registry API's {@code descriptor} JSON: what {@link MeshClient#declare}
   * sends to {@code POST /products}, and what an item of the bulk onboarding {@code POST
   * /domains/{domain}/products} carries. A new object on each call.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode descriptorJson() {
    return dev.meshbone.client.internal.Descriptors.toJson(this);
  }

  @Override
  public String toString() {
    return "ProductDeclaration{" + product + ", name=" + name + ", owner=" + ownerTeam + "}";
  }

  /** Builds a {@link ProductDeclaration}. Only the owner's team is required. */
  public static final class Builder {
    private final String product;
    private String name;
    private String description;
    private String ownerTeam;
    private String ownerContact;
    private final List<String> tags = new ArrayList<>();
    private final List<String> glossaryTerms = new ArrayList<>();
    private Classification classification = Classification.UNCLASSIFIED;
    private Slos slos;
    private final List<String> inputs = new ArrayList<>();
    private SubscriptionPolicy subscriptionPolicy = SubscriptionPolicy.OWNER_APPROVAL;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder(String product) {
      this.product = Names.requireProduct(Objects.requireNonNull(product, "product"));
    }

    /** A human name, e.g. "Trial enrollments"; defaults to the product's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** The owning team inside the domain (required) and how to reach it (optional). */
    public Builder owner(String team, String contact) {
      this.ownerTeam = Objects.requireNonNull(team, "team");
      this.ownerContact = contact;
      return this;
    }

    public Builder owner(String team) {
      return owner(team, null);
    }

    public Builder tags(String... tags) {
      this.tags.addAll(List.of(tags));
      return this;
    }

    public Builder glossaryTerms(String... terms) {
      this.glossaryTerms.addAll(List.of(terms));
      return this;
    }

    /** The most sensitive kind of data the product holds; UNCLASSIFIED by default. */
    public Builder classification(Classification classification) {
      this.classification = Objects.requireNonNull(classification, "classification");
      return this;
    }

    public Builder slos(Slos slos) {
      this.slos = slos;
      return this;
    }

    /**
     * Products this one is derived from, as ids ({@code <domain>.<product>}); they need not be
     * registered yet.
     *
     * @throws dev.meshbone.topics.InvalidNameException for an id that is not one
     */
    public Builder inputs(String... productIds) {
      for (String id : productIds) {
        this.inputs.add(ProductId.parse(id).toString());
      }
      return this;
    }

    /** OWNER_APPROVAL (the default): the owner decides each request; AUTO_APPROVE: at once. */
    public Builder subscriptionPolicy(SubscriptionPolicy policy) {
      this.subscriptionPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder property(String key, String value) {
      this.properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /**
     * @throws IllegalStateException without an owner
     */
    public ProductDeclaration build() {
      if (ownerTeam == null || ownerTeam.isBlank()) {
        throw new IllegalStateException(
            "a product declaration needs its owner: builder(\""
                + product
                + "\").owner(\"<team>\", \"<contact>\")");
      }
      return new ProductDeclaration(this);
    }
  }
}
