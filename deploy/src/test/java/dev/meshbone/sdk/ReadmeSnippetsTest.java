package dev.meshbone.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's SDK examples are the regions of {@link ReadmeSnippets} (compiled here, run by the
 * ITs), copied verbatim: each README block marked {@code <!-- ReadmeSnippets: name -->} must be
 * exactly the region {@code // tag::name[]} ... {@code // end::name[]}, dedented.
 */
class ReadmeSnippetsTest {
  private static final Path SNIPPETS =
      Path.of("src/test/java/dev/meshbone/sdk/ReadmeSnippets.java");
  private static final Path README = Path.of("../README.md");
  private static final Pattern MARKED_BLOCK =
      Pattern.compile("<!-- ReadmeSnippets: ([a-z-]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

  static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(SNIPPETS);
    for (int i = 0; i < lines.size(); i++) {
      Matcher tag = Pattern.compile("// tag::([a-z-]+)\\[]").matcher(lines.get(i).trim());
      if (tag.matches()) {
        String name = tag.group(1);
        List<String> body = new ArrayList<>();
        int j = i + 1;
        while (!lines.get(j).trim().equals("// end::" + name + "[]")) {
          body.add(lines.get(j++));
        }
        regions.put(name, dedent(body));
        i = j;
      }
    }
    return regions;
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
  void shouldShowEverySnippetRegionVerbatimInTheReadme() throws IOException {
    Map<String, String> regions = regions();
    String readme = Files.readString(README);
    Map<String, String> shown = new LinkedHashMap<>();
    Matcher block = MARKED_BLOCK.matcher(readme);
    while (block.find()) {
      shown.put(block.group(1), block.group(2));
    }

    assertThat(regions).isNotEmpty();
    assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(regions.keySet());
    regions.forEach(
        (name, code) ->
            assertThat(shown.get(name))
                .as("README block '%s' must be ReadmeSnippets' region '%s' verbatim", name, name)
                .isEqualTo(code));
  }
}
