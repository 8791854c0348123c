package dev.meshbone.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The code the README and the pages under {@code docs/} show is code that compiles and runs: each
 * block marked {@code <!-- snippet: <file>#<region> -->} must be that region of the file, verbatim.
 * A region is either the lines between {@code // tag::name[]} and {@code // end::name[]} ({@code #}
 * comments in YAML), dedented, or, for an upper-case name, the Java text block assigned to the
 * constant of that name. The files are run by tests: {@link ReadmeSnippets} by {@code
 * MeshClientIT}, {@code SerdeSnippets} by {@code MeshRegistrySerdeIT}, the Micronaut configuration
 * by {@link MicronautClientSnippetTest}, the data rules by {@code RecordValidationTest}.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern MARKED_BLOCK =
      Pattern.compile(
          "<!-- snippet: ([^#\\s]+)#([A-Za-z0-9_-]+) -->\\n```[a-z]*\\n(.*?)\\n```",
          Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("(?://|#) tag::([a-z-]+)\\[]");

  /** A marked block: the page, the file and region it names, and the code it shows. */
  record Shown(Path page, String file, String region, String code) {}

  static List<Shown> shown() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<Shown> shown = new ArrayList<>();
    for (Path page : pages) {
      Matcher block = MARKED_BLOCK.matcher(Files.readString(page));
      while (block.find()) {
        shown.add(new Shown(page, block.group(1), block.group(2), block.group(3)));
      }
    }
    return shown;
  }

  /** Every {@code tag::} region of a file, by name, dedented. */
  static Map<String, String> tagRegions(Path file) throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      Matcher tag = TAG.matcher(lines.get(i).trim());
      if (tag.matches()) {
        String name = tag.group(1);
        List<String> body = new ArrayList<>();
        int j = i + 1;
        while (!lines.get(j).trim().matches("(?://|#) end::" + name + "\\[]")) {
          body.add(lines.get(j++));
        }
        regions.put(name, dedent(body));
        i = j;
      }
    }
    return regions;
  }

  /**
   * The Java text block assigned to {@code constant}, as Java reads it, without the last newline.
   */
  static String textBlock(Path file, String constant) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(".*\\b" + constant + " =\\s*")
          && lines.get(i + 1).trim().equals("\"\"\"")) {
        StringBuilder text = new StringBuilder();
        int j = i + 2;
        while (!lines.get(j).trim().startsWith("\"\"\"")) {
          text.append(lines.get(j++)).append('\n');
        }
        String closing = lines.get(j).substring(0, lines.get(j).indexOf("\"\"\""));
        String block = (text + closing).stripIndent();
        return block.endsWith("\n") ? block.substring(0, block.length() - 1) : block;
      }
    }
    throw new AssertionError(file + " has no text block constant " + constant);
  }

  private static String region(String file, String region) {
    Path path = ROOT.resolve(file);
    assertThat(path).as("the file a snippet names").isRegularFile();
    try {
      if (region.matches("[A-Z][A-Z0-9_]*")) {
        return textBlock(path, region);
      }
      Map<String, String> regions = tagRegions(path);
      assertThat(regions).as("regions of %s", file).containsKey(region);
      return regions.get(region);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }

  @Test
  void shouldShowEverySnippetVerbatim() throws IOException {
    List<Shown> shown = shown();

    assertThat(shown).hasSizeGreaterThanOrEqualTo(10);
    for (Shown s : shown) {
      assertThat(s.code())
          .as(
              "%s: the block marked %s#%s must be that region verbatim",
              s.page(), s.file(), s.region())
          .isEqualTo(region(s.file(), s.region()));
    }
  }

  @Test
  void shouldShowEveryTaggedRegionOfEachSnippetFile() throws IOException {
    List<Shown> shown = shown();
    Set<String> files = new LinkedHashSet<>();
    shown.forEach(s -> files.add(s.file()));

    for (String file : files) {
      Set<String> showing = new LinkedHashSet<>();
      shown.stream().filter(s -> s.file().equals(file)).forEach(s -> showing.add(s.region()));
      assertThat(showing)
          .as("the regions of %s the docs show", file)
          .containsAll(tagRegions(ROOT.resolve(file)).keySet());
    }
    assertThat(files)
        .contains(
            "deploy/src/test/java/dev/meshbone/sdk/ReadmeSnippets.java",
            "deploy/src/test/java/dev/meshbone/interop/SerdeSnippets.java");
  }
}
