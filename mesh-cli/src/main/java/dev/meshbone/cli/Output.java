package dev.meshbone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command prints, in the format {@code --output} asks for: {@code table} (the default, for
 * people), {@code json} or {@code yaml} (for scripts: the same data, whole, one document). A
 * command gives both forms: the data, and how it reads as a table or as lines of text.
 */
public final class Output {
  public enum Format {
    table,
    json,
    yaml
  }

  public static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private final PrintWriter out;
  private final Format format;

  public Output(PrintWriter out, Format format) {
    this.out = out;
    this.format = format;
  }

  public Format format() {
    return format;
  }

  public boolean isTable() {
    return format == Format.table;
  }

  public PrintWriter writer() {
    return out;
  }

  /** Prints {@code data} as JSON or YAML, or {@code table} when tables are asked for. */
  public void emit(JsonNode data, Table table) {
    if (format == Format.table) {
      table.print(out);
    } else {
      out.print(render(data, format));
    }
    out.flush();
  }

  /** Prints {@code data} as JSON or YAML, or the lines of text when tables are asked for. */
  public void emit(JsonNode data, List<String> lines) {
    if (format == Format.table) {
      lines.forEach(out::println);
    } else {
      out.print(render(data, format));
    }
    out.flush();
  }

  /** One record of a stream (notifications, dead letters): a table line or one JSON line. */
  public void emitLine(JsonNode data, String line) {
    switch (format) {
      case table -> out.println(line);
      case json -> {
        try {
          out.println(new ObjectMapper().writeValueAsString(data));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
      case yaml -> out.print("---\n" + render(data, Format.yaml));
    }
    out.flush();
  }

  public static String render(JsonNode data, Format format) {
    try {
      return format == Format.yaml
          ? YAML.writeValueAsString(data)
          : JSON.writeValueAsString(data) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the output", e);
    }
  }

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Plain columns, left-aligned, two spaces apart; a key/value table is two columns. */
  public static final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private String empty = "(none)";

    public Table(String... headers) {
      this.headers = List.of(headers);
    }

    public static Table keyValue() {
      return new Table();
    }

    public Table row(Object... cells) {
      List<String> row = new ArrayList<>();
      for (Object c : cells) {
        row.add(c == null ? "-" : c.toString());
      }
      rows.add(row);
      return this;
    }

    public Table whenEmpty(String text) {
      this.empty = text;
      return this;
    }

    public void print(PrintWriter out) {
      if (rows.isEmpty()) {
        out.println(empty);
        return;
      }
      int columns = Math.max(headers.size(), rows.stream().mapToInt(List::size).max().orElse(0));
      int[] width = new int[columns];
      List<List<String>> all = new ArrayList<>();
      if (!headers.isEmpty()) {
        all.add(headers);
      }
      all.addAll(rows);
      for (List<String> row : all) {
        for (int i = 0; i < row.size(); i++) {
          width[i] = Math.max(width[i], row.get(i).length());
        }
      }
      for (List<String> row : all) {
        var line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          String cell = row.get(i);
          line.append(cell);
          if (i < row.size() - 1) {
            line.append(" ".repeat(width[i] - cell.length() + 2));
          }
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }
}
