package dev.meshbone.house;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.meshbone.house.Reactor.inModule;
import static dev.meshbone.house.Reactor.mainCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.meshbone.topics.MeshTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The house rules of meshbone, checked over the compiled main and test classes of every module (in
 * the spirit of apache/kafka's {@code checkstyle/import-control.xml}). Each rule is one field or
 * method below, named as the rule reads.
 *
 * <p>What a rule sees: the dependencies ArchUnit reads from class files, i.e. every class a class
 * names in its code, signatures and annotations. Not seen there: a compile-time constant of another
 * class (javac copies its value in and leaves no reference), which is why the apps' rule is also
 * read from their sources; and reflection, which no rule here sees.
 *
 * <p>The names rule reads the string constants of each main class (see {@link ClassFile}):
 * literals, folded constant expressions and the literal parts of concatenations. So it catches a
 * topic name written as {@code "mesh.contracts"}, as {@code "mesh." + "contracts"} or as {@code
 * domain + ".mesh.product-events"}; it cannot catch a name assembled at run time from parts that
 * are not names themselves (say, {@code "mesh" + '.' + name}), nor a name read from a file. The
 * catalogue's own names are not compile-time constants ({@code DlqHeaders}, {@code DomainTopics},
 * {@code Subjects}), so using them leaves no copy to find. Test code is not scanned: tests spell
 * the names on purpose, as the contract the catalogue must keep.
 */
@AnalyzeClasses(locations = Reactor.ClassFolders.class)
class HouseRulesTest {
  private static final String VALIDATOR = "dev.meshbone.validator..";
  private static final String REGISTRY = "dev.meshbone.registry..";
  private static final String QUALITY = "dev.meshbone.quality..";
  private static final String CONFIGURATION_PROPERTIES =
      "io.micronaut.context.annotation.ConfigurationProperties";

  @ArchTest
  static final ArchRule the_three_apps_never_import_each_other_in_main_or_test_code =
      CompositeArchRule.of(app("contract-validator", REGISTRY, QUALITY))
          .and(app("mesh-registry", VALIDATOR, QUALITY))
          .and(app("quality-monitor", VALIDATOR, REGISTRY))
          .because(
              "the apps meet only over Kafka topics; a test that needs another app running starts"
                  + " it by its environment name (see mesh-registry's BesideValidator)");

  /**
   * The same rule, read from the apps' sources: javac copies another class's compile-time constants
   * into the class that uses them, so code that only read, say, {@code ValidatorApp.ENVIRONMENT}
   * would leave no trace in its class file for the rule above to see.
   */
  @ArchTest
  static void the_three_apps_never_name_each_other_in_their_sources(JavaClasses ignored)
      throws IOException {
    Map<String, String> apps =
        Map.of(
            "contract-validator",
            "validator",
            "mesh-registry",
            "registry",
            "quality-monitor",
            "quality");
    var found = new ArrayList<String>();
    for (var app : apps.entrySet()) {
      Pattern others =
          Pattern.compile(
              "\\bdev\\.meshbone\\.(?!"
                  + app.getValue()
                  + "\\b)(validator|registry|quality)\\b[.\\w]*");
      for (String sources : List.of("src/main/java", "src/test/java")) {
        Path dir = Reactor.root().resolve(app.getKey()).resolve(sources);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            Matcher m = others.matcher(withoutComments(Files.readString(file)));
            while (m.find()) {
              found.add(Reactor.root().relativize(file) + " names " + m.group());
            }
          }
        }
      }
    }
    assertThat(found).as("one app's sources naming another app's code").isEmpty();
  }

  @ArchTest
  static final ArchRule the_apps_do_not_use_the_sdk =
      noClasses()
          .that(
              inModule("contract-validator")
                  .or(inModule("mesh-registry"))
                  .or(inModule("quality-monitor")))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.meshbone.client..")
          .because(
              "the SDK (dev.meshbone.client) is for domain services; the apps use the contracts,"
                  + " topics and serde directly");

  @ArchTest
  static final ArchRule domain_events_imports_no_app_and_not_mesh_runtime =
      noClasses()
          .that(inModule("domain-events"))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              VALIDATOR, REGISTRY, QUALITY, "dev.meshbone.runtime..", "dev.meshbone.local..")
          .because("domain services embed domain-events; it must stay a plain library");

  @ArchTest
  static final ArchRule mesh_runtime_imports_no_app =
      noClasses()
          .that(inModule("mesh-runtime"))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(VALIDATOR, REGISTRY, QUALITY, "dev.meshbone.local..")
          .because("mesh-runtime is what the three apps share");

  @ArchTest
  static final ArchRule no_module_imports_another_modules_internal_packages =
      classes()
          .should(useOnlyTheirOwnModulesInternalPackages())
          .because(
              "an internal package is its module's implementation, free to change without notice");

  @ArchTest
  static final ArchRule
      topic_names_dlq_headers_and_subject_naming_are_spelled_only_in_topics_and_contracts =
          classes()
              .that(mainCode())
              .and()
              .resideOutsideOfPackages("dev.meshbone.topics..", "dev.meshbone.contracts..")
              .should(notSpellMeshNames())
              .because(
                  "a name spelled twice drifts; use MeshTopics, DomainTopics, DlqHeaders or"
                      + " Subjects");

  /**
   * mesh-registry's packages form no cycle (issue 15 untied two: the catalog's store names now live
   * in {@code products.catalog.CatalogStores}, below {@code ProductCatalog}; the view types in
   * {@code products.view}, below both {@code products.http} and {@code products.query}). Main code
   * only: a test sits in the package it tests.
   */
  @ArchTest
  static final ArchRule mesh_registry_packages_are_free_of_cycles =
      slices()
          .matching("dev.meshbone.registry.(**)")
          .should()
          .beFreeOfCycles()
          .ignoreDependency(DescribedPredicate.not(mainCode()), DescribedPredicate.alwaysTrue())
          .because("a cycle makes two packages one: neither can be read or changed alone");

  /**
   * Settings are read one way (docs/configuration.md): a {@code @ConfigurationProperties} class
   * binds them and maps them once to an immutable, checked {@code *Settings} record, which is what
   * the services inject.
   */
  @ArchTest
  static final ArchRule the_services_settings_are_records =
      classes()
          .that(mainCode())
          .and()
          .haveSimpleNameEndingWith("Settings")
          .and()
          .resideInAnyPackage(VALIDATOR, REGISTRY, QUALITY, "dev.meshbone.runtime..")
          .and()
          .doNotHaveFullyQualifiedName("dev.meshbone.runtime.KafkaSettings")
          .should(beRecords())
          .because(
              "settings are immutable values with their defaults in one place (KafkaSettings,"
                  + " Kafka's own names passed through, is the one exception)");

  @ArchTest
  static final ArchRule only_a_config_class_and_its_factory_name_a_configuration_properties_class =
      noClasses()
          .that(mainCode())
          .and(notBoundByMicronaut())
          .should()
          .dependOnClassesThat()
          .areAnnotatedWith(CONFIGURATION_PROPERTIES)
          .because(
              "the services inject the *Settings record the Config class maps to, never the"
                  + " mutable Config");

  /** Main code that is neither a {@code @ConfigurationProperties} class nor generated for one. */
  private static DescribedPredicate<JavaClass> notBoundByMicronaut() {
    return DescribedPredicate.describe(
        "are not a @ConfigurationProperties class, its nested factory or Micronaut's code for it",
        c -> {
          JavaClass outer = c;
          while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
          }
          return !outer.isAnnotatedWith(CONFIGURATION_PROPERTIES)
              && !c.getName().substring(c.getPackageName().length() + 1).startsWith("$");
        });
  }

  private static ArchCondition<JavaClass> beRecords() {
    return new ArchCondition<>("be records") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        if (!c.isRecord()) {
          events.add(SimpleConditionEvent.violated(c, c.getName() + " is not a record"));
        }
      }
    };
  }

  /**
   * quality-monitor's methods stay short (issue 15 split a 335-line one into named pieces). A
   * method's lines are counted from its declaration to its closing brace: its code's lines, as the
   * class file's line table spans them, plus those two. Generated Avro classes are not counted; a
   * constructor's count starts at the first field it initializes.
   */
  @ArchTest
  static final ArchRule quality_monitor_methods_are_under_80_lines =
      classes()
          .that(inModule("quality-monitor"))
          .and(mainCode())
          .and()
          .areNotAnnotatedWith("org.apache.avro.specific.AvroGenerated")
          .should(haveMethodsUnder(80))
          .because("a reader should find each step by its name, not inside one long method");

  /**
   * Every node, store and internal topic of every app's topology has a name given in the code:
   * generated names ({@code KSTREAM-MAP-0000000004}, {@code ...-0000000005-repartition}) change
   * when the topology changes, and with them the names of changelog and repartition topics.
   *
   * <p>An app's topology is what its {@code *Topology} class builds with {@code public static
   * Topology build(MeshTopics)}; each of the three apps must have one, so a new app's is checked
   * too.
   */
  @ArchTest
  static void every_topology_node_store_and_repartition_is_named(JavaClasses classes) {
    Map<String, List<String>> generated = new TreeMap<>();
    var apps = new ArrayList<String>();
    for (JavaClass c : classes.that(mainCode())) {
      Optional<JavaMethod> build = topologyFunction(c);
      if (build.isEmpty()) {
        continue;
      }
      apps.add(Reactor.origin(c).orElseThrow().module());
      Topology topology = build(c);
      List<String> names = generatedNames(topology.describe());
      if (!names.isEmpty()) {
        generated.put(c.getName(), names);
      }
    }
    assertThat(apps)
        .as("modules with a *Topology.build(MeshTopics)")
        .contains("contract-validator", "mesh-registry", "quality-monitor");
    assertThat(generated)
        .as(
            "generated names in app topologies: name them (Named.as, Materialized.as, Grouped.as,"
                + " Repartitioned.as, Consumed/Produced.withName, Branched.as)")
        .isEmpty();
  }

  // ---- the parts of the rules ----

  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*");

  private static String withoutComments(String source) {
    return COMMENT.matcher(source).replaceAll(" ");
  }

  private static ArchRule app(String module, String... otherApps) {
    return noClasses()
        .that(inModule(module))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherApps);
  }

  private static ArchCondition<JavaClass> useOnlyTheirOwnModulesInternalPackages() {
    return new ArchCondition<>("use only their own module's internal packages") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        String module = Reactor.origin(c).map(Reactor.Origin::module).orElse(null);
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass().getBaseComponentType();
          if (!isMeshInternal(target.getPackageName())) {
            continue;
          }
          String targetModule = Reactor.origin(target).map(Reactor.Origin::module).orElse("?");
          if (!targetModule.equals(module)) {
            events.add(
                SimpleConditionEvent.violated(
                    d,
                    d.getDescription()
                        + ": "
                        + target.getPackageName()
                        + " is internal to "
                        + targetModule));
          }
        }
      }
    };
  }

  private static boolean isMeshInternal(String packageName) {
    return packageName.startsWith("dev.meshbone.")
        && (packageName.endsWith(".internal") || packageName.contains(".internal."));
  }

  /** The kinds of name that only the catalogue spells, and where else each may appear. */
  private enum MeshName {
    MESH_TOPIC_OR_DLQ_HEADER(
        "a mesh topic or DLQ header name (MeshTopics, DlqHeaders)", "mesh\\.[a-z0-9._-]*"),
    DOMAIN_TOPIC_SUFFIX(
        "a domain topic name's suffix (DomainTopics)", "\\.(?:ingest|dlq)|\\.mesh\\.[a-z0-9.-]+"),
    SUBJECT_NAMING(
        "subject naming (Subjects)",
        "-value|-key|\\.ingest-(?:value|key)",
        // Confluent's TopicNameStrategy, part of the serde's own Confluent compatibility: the
        // serde depends on nothing else of the mesh.
        "dev.meshbone.serde");

    final String what;
    final Pattern pattern;
    final String alsoAllowedIn;

    MeshName(String what, String regex) {
      this(what, regex, null);
    }

    MeshName(String what, String regex, String alsoAllowedIn) {
      this.what = what;
      this.pattern = Pattern.compile(regex);
      this.alsoAllowedIn = alsoAllowedIn;
    }

    boolean allowedIn(JavaClass c) {
      return alsoAllowedIn != null
          && (c.getPackageName().equals(alsoAllowedIn)
              || c.getPackageName().startsWith(alsoAllowedIn + "."));
    }
  }

  private static ArchCondition<JavaClass> notSpellMeshNames() {
    return new ArchCondition<>("not spell a topic name, DLQ header or subject suffix") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (String constant : ClassFile.read(Reactor.classFile(c)).stringConstants()) {
          for (String piece : ClassFile.pieces(constant)) {
            for (MeshName name : MeshName.values()) {
              if (name.pattern.matcher(piece).matches() && !name.allowedIn(c)) {
                events.add(
                    SimpleConditionEvent.violated(
                        c,
                        c.getName()
                            + " spells \""
                            + piece
                            + "\", "
                            + name.what
                            + ", in "
                            + c.getSourceCodeLocation()));
              }
            }
          }
        }
      }
    };
  }

  private static ArchCondition<JavaClass> haveMethodsUnder(int limit) {
    return new ArchCondition<>("have methods under " + limit + " lines") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (ClassFile.Method m : ClassFile.read(Reactor.classFile(c)).methods()) {
          if (m.name().equals("<clinit>")) {
            continue; // the static field initializers, wherever they stand in the file
          }
          int lines = m.lines() + 2;
          if (lines >= limit) {
            events.add(
                SimpleConditionEvent.violated(
                    c,
                    c.getName()
                        + "."
                        + m.name()
                        + " is "
                        + lines
                        + " lines long (lines "
                        + m.firstLine()
                        + "-"
                        + m.lastLine()
                        + " of code)"));
          }
        }
      }
    };
  }

  private static Optional<JavaMethod> topologyFunction(JavaClass c) {
    if (!c.getSimpleName().endsWith("Topology")) {
      return Optional.empty();
    }
    return c.getMethods().stream()
        .filter(m -> m.getName().equals("build"))
        .filter(m -> m.getModifiers().contains(JavaModifier.STATIC))
        .filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
        .filter(m -> m.getRawParameterTypes().size() == 1)
        .filter(m -> m.getRawParameterTypes().get(0).isEquivalentTo(MeshTopics.class))
        .filter(m -> m.getRawReturnType().isEquivalentTo(Topology.class))
        .findFirst();
  }

  private static Topology build(JavaClass c) {
    try {
      return (Topology)
          c.reflect().getMethod("build", MeshTopics.class).invoke(null, MeshTopics.defaults());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build the topology of " + c.getName(), e);
    }
  }

  /** A name Kafka Streams made up: a {@code KSTREAM-}/{@code KTABLE-} name or a 10-digit index. */
  private static final Pattern GENERATED = Pattern.compile(".*(?:KSTREAM-|KTABLE-|\\d{10}).*");

  /** Every generated node, store and topic name of the topology, with where it is. */
  static List<String> generatedNames(TopologyDescription description) {
    var names = new ArrayList<String>();
    for (TopologyDescription.Subtopology sub : description.subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        check(names, "node", node.name());
        if (node instanceof TopologyDescription.Processor p) {
          p.stores().forEach(s -> check(names, "store of " + node.name(), s));
        }
        if (node instanceof TopologyDescription.Source s && s.topicSet() != null) {
          s.topicSet().forEach(t -> check(names, "topic of " + node.name(), t));
        }
        if (node instanceof TopologyDescription.Sink s && s.topic() != null) {
          check(names, "topic of " + node.name(), s.topic());
        }
      }
    }
    for (TopologyDescription.GlobalStore g : description.globalStores()) {
      check(names, "global source", g.source().name());
      check(names, "global processor", g.processor().name());
      g.processor().stores().forEach(s -> check(names, "global store", s));
    }
    return names;
  }

  private static void check(List<String> names, String what, String name) {
    if (GENERATED.matcher(name).matches()) {
      names.add(what + " '" + name + "'");
    }
  }
}
