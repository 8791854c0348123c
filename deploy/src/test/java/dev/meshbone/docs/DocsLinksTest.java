package dev.meshbone.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing the repository says points nowhere: every relative link of every Markdown file resolves
 * to a file (and, into a Markdown file, to one of its headings); every repository path that code,
 * configuration or docs name exists; and no file cites a design or stack document the repository
 * does not hold. The whole repository is read as it is on disk, build output and installed packages
 * left out.
 */
class DocsLinksTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Set<String> SKIPPED_DIRS =
      Set.of(".git", "target", "node_modules", ".meshbone", ".idea", ".vscode");
  private static final Set<String> TEXT_EXTENSIONS =
      Set.of(
          "md",
          "java",
          "yml",
          "yaml",
          "xml",
          "properties",
          "avdl",
          "avsc",
          "js",
          "mjs",
          "html",
          "css",
          "json",
          "sh",
          "txt");
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern CITED_DOC = Pattern.compile("[\\w./-]*\\b(?:DESIGN|STACK)\\.md\\b");

  private static List<Path> textFiles;
  private static Pattern repoPath;

  @BeforeAll
  static void readRepository() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      textFiles =
          files
              .filter(Files::isRegularFile)
              .filter(p -> ROOT.relativize(p).getNameCount() > 0)
              .filter(p -> !inSkippedDir(p))
              .filter(DocsLinksTest::isText)
              .sorted()
              .toList();
    }
    // A repository path starts with one of the top-level folders: bin/..., docs/..., deploy/...
    try (Stream<Path> top = Files.list(ROOT)) {
      String folders =
          top.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(n -> !SKIPPED_DIRS.contains(n))
              .map(Pattern::quote)
              .sorted()
              .collect(Collectors.joining("|"));
      repoPath = Pattern.compile("(?<![\\w./<>*-])(?:" + folders + ")/[\\w./-]*\\w");
    }
  }

  @Test
  void shouldResolveEveryRelativeLinkOfEveryMarkdownFile() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    int links = 0;
    for (Path md : markdownFiles()) {
      List<String> lines = prose(Files.readAllLines(md));
      for (int i = 0; i < lines.size(); i++) {
        Matcher link = LINK.matcher(lines.get(i));
        while (link.find()) {
          String target = link.group(1);
          if (target.matches("^[a-z]+:.*")) {
            continue; // http:, https:, mailto:
          }
          links++;
          int hash = target.indexOf('#');
          String file = hash < 0 ? target : target.substring(0, hash);
          String anchor = hash < 0 ? null : target.substring(hash + 1);
          Path resolved = file.isEmpty() ? md : md.getParent().resolve(file).normalize();
          String where = ROOT.relativize(md) + ":" + (i + 1) + " " + target;
          if (!Files.exists(resolved)) {
            broken.add(where + " (no such file)");
          } else if (anchor != null && resolved.toString().endsWith(".md")) {
            Set<String> known = anchors.computeIfAbsent(resolved, DocsLinksTest::headingAnchors);
            if (!known.contains(anchor)) {
              broken.add(where + " (no heading " + anchor + "; there are " + known + ")");
            }
          }
        }
      }
    }

    assertThat(links).isGreaterThan(50);
    assertThat(broken).as("links that point nowhere").isEmpty();
  }

  @Test
  void shouldFindEveryRepositoryPathThatCodeAndDocsName() throws IOException {
    List<String> missing = new ArrayList<>();
    int named = 0;
    for (Path file : textFiles) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher path = repoPath.matcher(lines.get(i));
        while (path.find()) {
          String cited = path.group();
          if (cited.contains("/target/") || cited.contains("..")) {
            continue; // build output, or a path elided with "..."
          }
          named++;
          if (!Files.exists(ROOT.resolve(cited))) {
            missing.add(ROOT.relativize(file) + ":" + (i + 1) + " " + cited);
          }
        }
      }
    }

    assertThat(named).isGreaterThan(50);
    assertThat(missing).as("repository paths named but not there").isEmpty();
  }

  @Test
  void shouldCiteNoDesignOrStackDocumentOutsideTheRepository() throws IOException {
    List<String> dangling = new ArrayList<>();
    for (Path file : textFiles) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher cited = CITED_DOC.matcher(lines.get(i));
        while (cited.find()) {
          String name = cited.group();
          if (!Files.exists(file.getParent().resolve(name)) && !Files.exists(ROOT.resolve(name))) {
            dangling.add(ROOT.relativize(file) + ":" + (i + 1) + " " + name);
          }
        }
      }
    }

    assertThat(dangling)
        .as(
            "citations of a design or stack document the repository does not hold (it has"
                + " docs/design.md and docs/stack.md)")
        .isEmpty();
  }

  private static List<Path> markdownFiles() {
    return textFiles.stream().filter(p -> p.toString().endsWith(".md")).toList();
  }

  /** The lines outside fenced code blocks, with inline code blanked out (line numbers kept). */
  private static List<String> prose(List<String> lines) {
    List<String> prose = new ArrayList<>();
    boolean fenced = false;
    for (String line : lines) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        prose.add("");
      } else {
        prose.add(fenced ? "" : line.replaceAll("`[^`]*`", "``"));
      }
    }
    return prose;
  }

  /** The anchors GitHub gives a Markdown file's headings. */
  private static Set<String> headingAnchors(Path md) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(md);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    boolean fenced = false;
    for (String line : lines) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (!fenced && heading.matches()) {
        String slug = slug(heading.group(2));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    return anchors;
  }

  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  private static boolean inSkippedDir(Path p) {
    for (Path part : ROOT.relativize(p)) {
      if (SKIPPED_DIRS.contains(part.toString())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isText(Path p) {
    String name = p.getFileName().toString();
    if (name.equals("package-lock.json")) {
      return false;
    }
    if ((p.getParent().endsWith("bin") || p.getParent().endsWith(".ci")) && !name.contains(".")) {
      return true; // the scripts of bin/ and .ci/
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 && TEXT_EXTENSIONS.contains(name.substring(dot + 1));
  }
}
