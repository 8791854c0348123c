package dev.meshbone.serde.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads settings out of the {@code Map<String, ?>} Kafka hands to {@code configure}: values may be
 * strings (from a properties file) or typed (Boolean, Number, Class, List), as Kafka's own configs
 * accept. A malformed value is a {@link ConfigException} naming the setting.
 */
public final class Configs {
  private Configs() {}

  public static String string(Map<String, ?> props, String name, String fallback) {
    Object value = props.get(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Class<?> c) {
      return c.getName();
    }
    String text = value.toString().trim();
    return text.isEmpty() ? fallback : text;
  }

  public static boolean bool(Map<String, ?> props, String name, boolean fallback) {
    Object value = props.get(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      case "" -> fallback;
      default -> throw new ConfigException(name, value, "expected true or false");
    };
  }

  public static long number(Map<String, ?> props, String name, long fallback, long min) {
    Object value = props.get(name);
    if (value == null) {
      return fallback;
    }
    long parsed;
    if (value instanceof Number n) {
      parsed = n.longValue();
    } else {
      String text = value.toString().trim();
      if (text.isEmpty()) {
        return fallback;
      }
      try {
        parsed = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new ConfigException(name, value, "expected a whole number");
      }
    }
    if (parsed < min) {
      throw new ConfigException(name, value, "must be at least " + min);
    }
    return parsed;
  }

  /** A comma-separated list (or a {@code List}); blanks dropped. */
  public static List<String> list(Map<String, ?> props, String name) {
    Object value = props.get(name);
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    Collection<?> items =
        value instanceof Collection<?> c ? c : List.of((Object[]) value.toString().split(","));
    for (Object item : items) {
      String text = item == null ? "" : item.toString().trim();
      if (!text.isEmpty()) {
        out.add(text);
      }
    }
    return out;
  }

  /** A class given as a {@code Class} or a class name, or null when not set. */
  public static Class<?> type(Map<String, ?> props, String name) {
    Object value = props.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Class<?> c) {
      return c;
    }
    String className = value.toString().trim();
    if (className.isEmpty()) {
      return null;
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      return Class.forName(
          className, false, loader != null ? loader : Configs.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(name, value, "no such class on the classpath");
    }
  }
}
