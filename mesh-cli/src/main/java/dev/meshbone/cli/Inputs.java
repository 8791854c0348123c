package dev.meshbone.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Files the user gives: read whole, with one-line errors that say which file and where. */
public final class Inputs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private Inputs() {}

  /** The text of {@code path} ({@code -} is standard input). */
  public static String read(Path path, String what) {
    try {
      if (path.toString().equals("-")) {
        return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CliException.badInput("no such file: " + path + " (" + what + ")");
    } catch (IOException e) {
      throw CliException.badInput("cannot read " + path + " (" + what + "): " + e.getMessage());
    }
  }

  /** A YAML (or JSON, which is YAML) document as a tree; an empty file is a missing node. */
  public static JsonNode readYaml(Path path, String what) {
    return parseYaml(read(path, what), path.toString());
  }

  public static JsonNode parseYaml(String text, String source) {
    try {
      JsonNode node = YAML.readTree(text);
      return node == null ? MissingNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      throw CliException.badInput(source + " is not valid YAML: " + describe(e));
    }
  }

  /** A JSON document (an Avro schema) as text, checked to be JSON. */
  public static JsonNode parseJson(String text, String source) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null) {
        throw CliException.badInput(source + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw CliException.badInput(source + " is not valid JSON: " + describe(e));
    }
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    String message = e.getOriginalMessage();
    int cut = message.indexOf('\n');
    if (cut > 0) {
      message = message.substring(0, cut);
    }
    return message
        + (where == null || where.getLineNr() < 0
            ? ""
            : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
  }
}
