package dev.meshbone.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code curl} command a page of the docs shows in a {@code console} block, with the output shown
 * under it, and the HTTP request it makes. Ports in the docs are the local mesh's defaults; {@link
 * #request} sends the request to the ports a test's mesh runs on.
 *
 * @param page the page, relative to the repository root
 * @param command the command line as shown, without the {@code $ } prompt
 * @param output the lines shown under it, up to the next command or the end of the block
 */
record DocumentedCommand(String page, String command, List<String> output) {
  static final Path ROOT = Path.of("..");

  /** Every {@code curl} command of the page's console blocks, in order. */
  static List<DocumentedCommand> curlCommands(String page) throws IOException {
    List<DocumentedCommand> commands = new ArrayList<>();
    boolean console = false;
    String command = null;
    List<String> output = new ArrayList<>();
    for (String line : Files.readAllLines(ROOT.resolve(page))) {
      if (!console) {
        console = line.strip().equals("```console");
        continue;
      }
      if (line.strip().equals("```") || line.startsWith("$ ")) {
        if (command != null && command.startsWith("curl ")) {
          commands.add(new DocumentedCommand(page, command, List.copyOf(output)));
        }
        command = null;
        output.clear();
        if (line.startsWith("$ ")) {
          command = line.substring(2);
        } else {
          console = false;
        }
      } else if (command != null) {
        output.add(line);
      }
    }
    return commands;
  }

  /** The output lines that are not blank. */
  List<String> shown() {
    return output.stream().filter(l -> !l.isBlank()).toList();
  }

  /** Whether the command runs in the background ({@code &}), as a stream a later command feeds. */
  boolean background() {
    return command.endsWith(" &");
  }

  /** Whether the command prints the status code after the body ({@code -w ' %{http_code}\n'}). */
  boolean printsStatus() {
    return words().contains("-w");
  }

  /**
   * The request the command makes, sent to {@code ports} (documented port → the test mesh's port).
   */
  HttpRequest request(Map<Integer, Integer> ports) {
    List<String> words = words();
    String method = null;
    String body = null;
    String url = null;
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("-H")) {
        String header = words.get(++i);
        int colon = header.indexOf(':');
        headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
      } else if (word.equals("-d")) {
        body = words.get(++i);
      } else if (word.equals("-w") || word.equals("-X")) {
        String value = words.get(++i);
        if (word.equals("-X")) {
          method = value;
        }
      } else if (word.startsWith("-X")) {
        method = word.substring(2);
      } else if (word.startsWith("-")) {
        continue; // -s, -sN: how curl prints, not what it asks
      } else if (!word.equals("&")) {
        url = word;
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("no URL in: " + command);
    }
    URI uri = URI.create(url.startsWith("http") ? url : "http://" + url);
    int port = ports.getOrDefault(uri.getPort(), uri.getPort());
    String target =
        "http://localhost:"
            + port
            + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    var request = HttpRequest.newBuilder(URI.create(target));
    if (!background()) {
      request.timeout(Duration.ofSeconds(30));
    }
    headers.forEach(request::header);
    String verb = method != null ? method : body != null ? "POST" : "GET";
    request.method(
        verb,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return request.build();
  }

  /** The shell words of the curl part (before the first unquoted pipe), quotes removed. */
  List<String> words() {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '|' || c == ';') {
        break;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  @Override
  public String toString() {
    return page + ": $ " + command;
  }
}
