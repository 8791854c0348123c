package dev.meshbone.bench.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark's part of the report: how it was measured, its figures, and the raw per-run table.
 */
public final class Section {
  final String key;
  final String title;
  final List<String> how = new ArrayList<>();
  final List<Figure> figures = new ArrayList<>();
  final List<String> detail = new ArrayList<>();
  long seconds;
  String loadAtStart;
  String failure;

  public Section(String key, String title) {
    this.key = key;
    this.title = title;
  }

  /** A paragraph of how it was measured. */
  public Section how(String paragraph) {
    how.add(paragraph);
    return this;
  }

  public Section figure(Figure figure) {
    figures.add(figure);
    return this;
  }

  /** A line of the raw table (markdown) after the figures. */
  public Section detail(String line) {
    detail.add(line);
    return this;
  }

  public String key() {
    return key;
  }

  public List<Figure> figures() {
    return List.copyOf(figures);
  }
}
