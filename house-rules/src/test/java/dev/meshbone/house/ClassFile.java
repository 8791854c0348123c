package dev.meshbone.house;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the house rules read from a class file themselves (JVMS chapter 4), with nothing but the
 * class file format: its string constants and the source lines of its methods.
 *
 * <p>The string constants are the {@code CONSTANT_String} entries of the constant pool: the string
 * literals of the class's source, compile-time constant expressions folded by javac ({@code "mesh."
 * + "contracts"}), the constants of other classes that javac copied in, and the recipes of string
 * concatenations ({@code id + ".dlq"} is the recipe {@code "\u0001.dlq"}), which {@link #pieces}
 * splits.
 */
final class ClassFile {
  /**
   * A method and the source lines its code spans (its {@code LineNumberTable}): from its first to
   * its last line of code, so without its declaration and closing brace.
   */
  record Method(String name, int firstLine, int lastLine) {
    int lines() {
      return lastLine - firstLine + 1;
    }
  }

  private final List<String> strings = new ArrayList<>();
  private final List<Method> methods = new ArrayList<>();

  private ClassFile() {}

  static ClassFile read(Path path) {
    try (var in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(path)))) {
      var file = new ClassFile();
      file.parse(in, path);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  List<String> stringConstants() {
    return strings;
  }

  List<Method> methods() {
    return methods;
  }

  /**
   * The literal pieces of a constant: a concatenation recipe split at its argument markers ({@code
   * \u0001}, and {@code \u0002} for constants passed aside), else the constant whole.
   */
  static List<String> pieces(String constant) {
    return List.of(constant.split("[\u0001\u0002]", -1));
  }

  private void parse(DataInputStream in, Path path) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IllegalArgumentException(path + " is not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    String[] utf8 = constantPool(in, path);
    in.skipNBytes(6); // access flags, this class, super class
    in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.skipNBytes(6); // access flags, name, descriptor
      skipAttributes(in);
    }
    int count = in.readUnsignedShort();
    for (int i = 0; i < count; i++) {
      in.skipNBytes(2); // access flags
      String name = utf8[in.readUnsignedShort()];
      in.skipNBytes(2); // descriptor
      int first = Integer.MAX_VALUE;
      int last = Integer.MIN_VALUE;
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if (!attribute.equals("Code")) {
          in.skipNBytes(length);
          continue;
        }
        in.skipNBytes(4); // max stack, max locals
        in.skipNBytes(in.readInt()); // the code
        in.skipNBytes(8L * in.readUnsignedShort()); // exception table
        int codeAttributes = in.readUnsignedShort();
        for (int c = 0; c < codeAttributes; c++) {
          String codeAttribute = utf8[in.readUnsignedShort()];
          int codeLength = in.readInt();
          if (!codeAttribute.equals("LineNumberTable")) {
            in.skipNBytes(codeLength);
            continue;
          }
          int entries = in.readUnsignedShort();
          for (int e = 0; e < entries; e++) {
            in.skipNBytes(2); // start pc
            int line = in.readUnsignedShort();
            first = Math.min(first, line);
            last = Math.max(last, line);
          }
        }
      }
      if (first <= last) {
        methods.add(new Method(name, first, last));
      }
    }
  }

  /** Reads the constant pool; keeps the string constants, returns the UTF-8 entries by index. */
  private String[] constantPool(DataInputStream in, Path path) throws IOException {
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] stringIndexes = new int[count];
    int found = 0;
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF(); // length-prefixed modified UTF-8, as readUTF reads
        case 8 -> stringIndexes[found++] = in.readUnsignedShort();
        case 7, 16, 19, 20 -> in.skipNBytes(2); // Class, MethodType, Module, Package
        case 15 -> in.skipNBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // numbers, refs, (Invoke)Dynamic
        case 5, 6 -> {
          in.skipNBytes(8); // Long and Double take two entries
          i++;
        }
        default ->
            throw new IllegalArgumentException(
                path + ": unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    for (int i = 0; i < found; i++) {
      strings.add(utf8[stringIndexes[i]]);
    }
    return utf8;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipNBytes(2);
      in.skipNBytes(in.readInt());
    }
  }
}
