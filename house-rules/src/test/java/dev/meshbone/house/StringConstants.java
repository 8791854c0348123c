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
 * The string constants of a class file: every {@code CONSTANT_String} of its constant pool (JVMS
 * 4.4), read with nothing but the class file format. These are the string literals of the class's
 * source, compile-time constant expressions folded by javac ({@code "mesh." + "contracts"}), the
 * constants of other classes that javac copied in, and the recipes of string concatenations ({@code
 * id + ".dlq"} is the recipe {@code "\u0001.dlq"}), which {@link #pieces} splits.
 */
final class StringConstants {
  private StringConstants() {}

  static List<String> of(Path classFile) {
    try (var in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(classFile)))) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IllegalArgumentException(classFile + " is not a class file");
      }
      in.readUnsignedShort(); // minor version
      in.readUnsignedShort(); // major version
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] strings = new int[count];
      int found = 0;
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF(); // length-prefixed modified UTF-8, as readUTF reads
          case 8 -> strings[found++] = in.readUnsignedShort();
          case 7, 16, 19, 20 -> in.skipNBytes(2); // Class, MethodType, Module, Package
          case 15 -> in.skipNBytes(3); // MethodHandle
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // numbers, refs, (Invoke)Dynamic
          case 5, 6 -> {
            in.skipNBytes(8); // Long and Double take two entries
            i++;
          }
          default ->
              throw new IllegalArgumentException(
                  classFile + ": unknown constant pool tag " + tag + " at entry " + i);
        }
      }
      var result = new ArrayList<String>(found);
      for (int i = 0; i < found; i++) {
        result.add(utf8[strings[i]]);
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classFile, e);
    }
  }

  /**
   * The literal pieces of a constant: a concatenation recipe split at its argument markers ({@code
   * \u0001}, and {@code \u0002} for constants passed aside), else the constant whole.
   */
  static List<String> pieces(String constant) {
    return List.of(constant.split("[\u0001\u0002]", -1));
  }
}
