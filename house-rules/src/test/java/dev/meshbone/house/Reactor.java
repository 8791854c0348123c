package dev.meshbone.house;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reactor's modules and their compiled classes, as the house rules see them: every module named
 * in the root pom (but this one), each with its {@code target/classes} and, when it has tests, its
 * {@code target/test-classes}. A missing folder fails the test instead of leaving classes out.
 */
final class Reactor {
  static final String THIS_MODULE = "house-rules";

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern FOLDER =
      Pattern.compile(".*/([^/]+)/target/(classes|test-classes)/.*");

  private Reactor() {}

  /** Where a class was compiled: its module and whether it is test code. */
  record Origin(String module, boolean test) {}

  static Path root() {
    return Path.of(System.getProperty("meshbone.reactor.root", "..")).toAbsolutePath().normalize();
  }

  /** The modules of the root pom, in reactor order, without this one. */
  static List<String> modules() {
    String pom;
    try {
      pom = Files.readString(root().resolve("pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the root pom under " + root(), e);
    }
    var modules = new ArrayList<String>();
    Matcher m = MODULE.matcher(pom);
    while (m.find()) {
      if (!m.group(1).equals(THIS_MODULE)) {
        modules.add(m.group(1));
      }
    }
    return modules;
  }

  /** The module and kind of code a class was compiled into; empty for library and JDK classes. */
  static Optional<Origin> origin(JavaClass c) {
    return c.getSource()
        .map(s -> s.getUri().toString())
        .map(FOLDER::matcher)
        .filter(Matcher::matches)
        .map(m -> new Origin(m.group(1), m.group(2).equals("test-classes")));
  }

  /** The class file a class was read from. */
  static Path classFile(JavaClass c) {
    URI uri = c.getSource().orElseThrow().getUri();
    return Path.of(uri);
  }

  static DescribedPredicate<JavaClass> inModule(String module) {
    return DescribedPredicate.describe(
        "are in module " + module,
        c -> origin(c).map(o -> o.module().equals(module)).orElse(false));
  }

  static DescribedPredicate<JavaClass> mainCode() {
    return DescribedPredicate.describe(
        "are main code", c -> origin(c).map(o -> !o.test()).orElse(false));
  }

  /** Every module's class folders, for {@code @AnalyzeClasses(locations = ...)}. */
  static final class ClassFolders implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      var locations = new LinkedHashSet<Location>();
      for (String module : modules()) {
        Path dir = root().resolve(module);
        locations.add(folder(dir, "classes"));
        if (Files.isDirectory(dir.resolve("src/test/java"))) {
          locations.add(folder(dir, "test-classes"));
        }
      }
      return locations;
    }

    private static Location folder(Path module, String name) {
      Path folder = module.resolve("target").resolve(name);
      if (!Files.isDirectory(folder)) {
        throw new IllegalStateException(
            folder
                + " is missing: build the whole reactor, tests compiled, before the house rules"
                + " (mvn verify -pl house-rules -am)");
      }
      return Location.of(folder);
    }
  }
}
