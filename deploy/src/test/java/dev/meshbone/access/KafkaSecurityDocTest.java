package dev.meshbone.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.registry.access.AclTableCommand;
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
 * docs/security-kafka.md shows what the code does: the ACL table exactly as {@link AclTableCommand}
 * prints it, and the regions of {@link KafkaSecuritySnippets} verbatim.
 */
class KafkaSecurityDocTest {
  private static final Path DOC = Path.of("../docs/security-kafka.md");
  private static final Path SNIPPETS =
      Path.of("src/test/java/dev/meshbone/access/KafkaSecuritySnippets.java");

  @Test
  void shouldShowTheAclTableAsTheCommandPrintsIt() throws IOException {
    String doc = Files.readString(DOC);
    Matcher table =
        Pattern.compile("<!-- acl-table -->\\n(.*?)<!-- /acl-table -->", Pattern.DOTALL)
            .matcher(doc);

    assertThat(table.find()).as("the marked table in " + DOC).isTrue();
    assertThat(table.group(1))
        .as(
            "regenerate it: java -cp mesh-registry/target/mesh-registry.jar"
                + " dev.meshbone.registry.access.AclTableCommand")
        .isEqualTo(AclTableCommand.run());
  }

  @Test
  void shouldShowEverySnippetRegionVerbatim() throws IOException {
    String doc = Files.readString(DOC);
    Map<String, String> shown = new LinkedHashMap<>();
    Matcher block =
        Pattern.compile(
                "<!-- KafkaSecuritySnippets: ([a-z-]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(doc);
    while (block.find()) {
      shown.put(block.group(1), block.group(2));
    }
    Map<String, String> regions = regions();

    assertThat(regions).isNotEmpty();
    assertThat(shown).isEqualTo(regions);
  }

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
        int indent =
            body.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        regions.put(
            name,
            String.join(
                "\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList()));
        i = j;
      }
    }
    return regions;
  }
}
