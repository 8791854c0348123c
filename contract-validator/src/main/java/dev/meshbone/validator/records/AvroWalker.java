package dev.meshbone.validator.records;

import dev.meshbone.rules.DataRule;
import dev.meshbone.rules.DataRules;
import dev.meshbone.rules.RuleTargets;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * One writer schema and its data rules, compiled into a program that checks a record's Avro binary
 * encoding without materializing it: it walks the bytes in schema order, verifying every length,
 * varint, union branch and enum index, skips the values no rule reads and decodes only the ones
 * that rules check. Built once per contract version (schema id and rule set), then used by every
 * stream thread at once: it holds no per-record state (that lives in the {@link Cursor}).
 *
 * <p>What it accepts is what Avro's own decoder accepts, with two deliberate exceptions that the
 * Avro specification calls invalid anyway: a boolean byte other than 0 or 1, and an array or map
 * block whose declared byte size does not match its items. It does not check that strings are valid
 * UTF-8 (Avro's decoder replaces bad sequences instead of failing), except where a rule reads the
 * string.
 */
final class AvroWalker {
  /** Items of a zero-size type (null, empty record) one array may hold before it is malformed. */
  static final int MAX_EMPTY_ITEMS = 1 << 20;

  private final Node root;

  private AvroWalker(Node root) {
    this.root = root;
  }

  /** Compiles {@code schema} with {@code rules}; rules whose path leads nowhere check nothing. */
  static AvroWalker compile(Schema schema, DataRules rules) {
    var passes = new ArrayList<Pass>();
    for (DataRule rule : rules.rules()) {
      passes.add(new Pass(rule, 0));
    }
    return new AvroWalker(new Compiler().compile(schema, List.of(), passes));
  }

  /**
   * Walks one encoded record from {@code cursor}'s position; afterwards the position is where the
   * record ends (the caller checks that nothing trails it) and the cursor holds the first broken
   * rule, if any.
   *
   * @throws MalformedRecordException if the bytes are not an encoding of the schema
   */
  void walk(Cursor cursor) {
    root.walk(cursor);
  }

  // ---------------------------------------------------------------------------------------------
  // The compiler

  /** A rule whose next path step is {@code rule.path().get(depth)}. */
  private record Pass(DataRule rule, int depth) {}

  /**
   * A rule that applies at this value: {@code whole} at the field itself (required, lengths and
   * values), otherwise at an item of an array or map the path ended on (values only).
   */
  private record Leaf(DataRule rule, boolean whole) {}

  private static final class Compiler {
    private final Map<Schema, Node> plain = new IdentityHashMap<>();
    private final Map<Schema, RecordNode> building = new IdentityHashMap<>();

    Node compile(Schema s, List<Leaf> leaves, List<Pass> passes) {
      if (leaves.isEmpty() && passes.isEmpty()) {
        return plain(s);
      }
      return switch (s.getType()) {
        case UNION -> union(s, leaves, passes);
        case ARRAY -> {
          Node items = compile(s.getElementType(), itemLeaves(leaves), passes);
          yield new ArrayNode(
              items, lengthRules(leaves), minSize(s.getElementType(), new HashSet<>()));
        }
        case MAP -> {
          Node values = compile(s.getValueType(), itemLeaves(leaves), passes);
          yield new MapNode(
              values, lengthRules(leaves), minSize(s.getValueType(), new HashSet<>()));
        }
        case RECORD -> record(s, passes);
        default -> leaf(s, leaves);
      };
    }

    private Node union(Schema s, List<Leaf> leaves, List<Pass> passes) {
      List<Schema> types = s.getTypes();
      Node[] branches = new Node[types.size()];
      for (int i = 0; i < branches.length; i++) {
        Schema branch = types.get(i);
        if (branch.getType() == Schema.Type.NULL) {
          branches[i] = nullBranch(leaves, passes);
        } else {
          branches[i] = compile(branch, leaves, passes);
        }
      }
      return new UnionNode(branches);
    }

    /** The null branch of a union: breaks the first required rule that needs a value here. */
    private Node nullBranch(List<Leaf> leaves, List<Pass> passes) {
      for (Leaf leaf : leaves) {
        if (leaf.whole() && leaf.rule().required()) {
          return new NullBranch(leaf.rule(), leaf.rule().field() + " is required but is null");
        }
      }
      for (Pass pass : passes) {
        if (pass.rule().required()) {
          String absent = String.join(".", pass.rule().path().subList(0, pass.depth()));
          return new NullBranch(
              pass.rule(),
              pass.rule().field()
                  + " is required but "
                  + (absent.isEmpty() ? "the record" : absent)
                  + " is null");
        }
      }
      return SkipRun.of(Schema.Type.NULL, 0);
    }

    private Node record(Schema s, List<Pass> passes) {
      List<Schema.Field> fields = s.getFields();
      Node[] nodes = new Node[fields.size()];
      for (int i = 0; i < nodes.length; i++) {
        Schema.Field f = fields.get(i);
        var leaves = new ArrayList<Leaf>();
        var deeper = new ArrayList<Pass>();
        for (Pass p : passes) {
          List<String> path = p.rule().path();
          if (!path.get(p.depth()).equals(f.name())) {
            continue;
          }
          if (p.depth() == path.size() - 1) {
            leaves.add(new Leaf(p.rule(), true));
          } else {
            deeper.add(new Pass(p.rule(), p.depth() + 1));
          }
        }
        nodes[i] = compile(f.schema(), leaves, deeper);
      }
      Node[] merged = SkipRun.merge(nodes);
      return merged.length == 1 ? merged[0] : new RecordNode(merged, false);
    }

    private static List<Leaf> itemLeaves(List<Leaf> leaves) {
      return leaves.stream()
          .filter(l -> l.rule().hasValueConstraints())
          .map(l -> new Leaf(l.rule(), false))
          .toList();
    }

    private static LengthRule[] lengthRules(List<Leaf> leaves) {
      return leaves.stream()
          .filter(l -> l.whole() && l.rule().hasLengthConstraints())
          .map(l -> new LengthRule(l.rule()))
          .toArray(LengthRule[]::new);
    }

    private Node leaf(Schema s, List<Leaf> leaves) {
      switch (s.getType()) {
        case INT, LONG -> {
          var rules =
              leaves.stream()
                  .map(Leaf::rule)
                  .filter(r -> r.min().isPresent() || r.max().isPresent() || !r.allowed().isEmpty())
                  .map(LongRule::new)
                  .toArray(LongRule[]::new);
          return rules.length == 0
              ? plain(s)
              : new IntegralLeaf(s.getType() == Schema.Type.INT, rules);
        }
        case FLOAT, DOUBLE -> {
          var rules =
              leaves.stream()
                  .map(Leaf::rule)
                  .filter(r -> r.min().isPresent() || r.max().isPresent())
                  .map(DoubleRule::new)
                  .toArray(DoubleRule[]::new);
          return rules.length == 0
              ? plain(s)
              : new FloatingLeaf(s.getType() == Schema.Type.FLOAT, rules);
        }
        case STRING -> {
          var rules =
              leaves.stream()
                  .filter(
                      l ->
                          l.rule().pattern().isPresent()
                              || !l.rule().allowed().isEmpty()
                              || (l.whole() && l.rule().hasLengthConstraints()))
                  .map(l -> new StringRule(l.rule(), l.whole()))
                  .toArray(StringRule[]::new);
          return rules.length == 0 ? plain(s) : new StringLeaf(rules);
        }
        case BYTES, FIXED -> {
          boolean decimal = RuleTargets.isDecimal(s);
          var rules =
              leaves.stream()
                  .filter(
                      l ->
                          (decimal && (l.rule().min().isPresent() || l.rule().max().isPresent()))
                              || (l.whole() && l.rule().hasLengthConstraints()))
                  .map(l -> new BytesRule(l.rule(), l.whole(), decimal))
                  .toArray(BytesRule[]::new);
          if (rules.length == 0) {
            return plain(s);
          }
          int scale = decimal ? ((LogicalTypes.Decimal) s.getLogicalType()).getScale() : 0;
          return new BytesLeaf(
              s.getType() == Schema.Type.FIXED ? s.getFixedSize() : -1, scale, rules);
        }
        case ENUM -> {
          var rules =
              leaves.stream()
                  .map(Leaf::rule)
                  .filter(r -> r.pattern().isPresent() || !r.allowed().isEmpty())
                  .map(r -> new EnumRule(r, s.getEnumSymbols()))
                  .toArray(EnumRule[]::new);
          return rules.length == 0 ? plain(s) : new EnumLeaf(s.getEnumSymbols(), rules);
        }
        default -> {
          return plain(s);
        }
      }
    }

    /** The rule-free node of a schema, shared by every place the schema occurs. */
    private Node plain(Schema s) {
      Node cached = plain.get(s);
      if (cached != null) {
        return cached;
      }
      RecordNode inProgress = building.get(s);
      if (inProgress != null) {
        // A record that contains itself: its walk counts nesting so bad input cannot overflow the
        // stack.
        inProgress.recursive = true;
        return inProgress;
      }
      Node node =
          switch (s.getType()) {
            case RECORD -> {
              RecordNode record = new RecordNode(null, false);
              building.put(s, record);
              Node[] fields = new Node[s.getFields().size()];
              for (int i = 0; i < fields.length; i++) {
                fields[i] = plain(s.getFields().get(i).schema());
              }
              record.fields = SkipRun.merge(fields);
              building.remove(s);
              // A record that is one run (or one node) is that run: one call less per value.
              yield !record.recursive && record.fields.length == 1 ? record.fields[0] : record;
            }
            case UNION -> {
              Node[] branches = new Node[s.getTypes().size()];
              for (int i = 0; i < branches.length; i++) {
                branches[i] = plain(s.getTypes().get(i));
              }
              SkipRun primitive = SkipRun.union(branches);
              yield primitive != null ? primitive : new UnionNode(branches);
            }
            case ARRAY ->
                new ArrayNode(
                    plain(s.getElementType()),
                    new LengthRule[0],
                    minSize(s.getElementType(), new HashSet<>()));
            case MAP ->
                new MapNode(
                    plain(s.getValueType()),
                    new LengthRule[0],
                    minSize(s.getValueType(), new HashSet<>()));
            case FIXED -> SkipRun.of(Schema.Type.FIXED, s.getFixedSize());
            case ENUM -> SkipRun.of(Schema.Type.ENUM, s.getEnumSymbols().size());
            default -> SkipRun.of(s.getType(), 0);
          };
      plain.put(s, node);
      return node;
    }

    /** The fewest bytes a value of the schema takes, for bounding array counts. */
    private static int minSize(Schema s, Set<Schema> visiting) {
      return switch (s.getType()) {
        case NULL -> 0;
        case FLOAT -> 4;
        case DOUBLE -> 8;
        case FIXED -> s.getFixedSize();
        case RECORD -> {
          if (!visiting.add(s)) {
            yield 0;
          }
          int sum = 0;
          for (Schema.Field f : s.getFields()) {
            sum += minSize(f.schema(), visiting);
          }
          visiting.remove(s);
          yield sum;
        }
        default -> 1;
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The program's nodes

  abstract static class Node {
    abstract void walk(Cursor c);
  }

  /**
   * A run of rule-free values skipped in one loop instead of one call each: primitives, unions of
   * primitives, and the fields of rule-free records, flattened. The loop keeps the position in a
   * local and takes one-byte varints (almost every length, index and small number) without a call.
   */
  static final class SkipRun extends Node {
    private static final int NULL = 0;
    private static final int BOOLEAN = 1;
    private static final int INT = 2;
    private static final int LONG = 3;
    private static final int FLOAT = 4;
    private static final int DOUBLE = 5;
    private static final int BYTES = 6;
    private static final int FIXED = 7;
    private static final int ENUM = 8;
    private static final int UNION = 9;

    /**
     * Each op: the kind in the low byte; above it a fixed size, an enum's symbol count, or for a
     * union the index of its branches' ops in {@link #unions}.
     */
    private final int[] ops;

    private final int[][] unions;

    private SkipRun(int[] ops, int[][] unions) {
      this.ops = ops;
      this.unions = unions;
    }

    static SkipRun of(Schema.Type type, int arg) {
      return new SkipRun(new int[] {op(type, arg)}, new int[0][]);
    }

    private static int op(Schema.Type type, int arg) {
      int kind =
          switch (type) {
            case NULL -> NULL;
            case BOOLEAN -> BOOLEAN;
            case INT -> INT;
            case LONG -> LONG;
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            case BYTES, STRING -> BYTES;
            case FIXED -> FIXED;
            case ENUM -> ENUM;
            default -> throw new IllegalArgumentException("not a primitive: " + type);
          };
      return kind | (arg << 8);
    }

    /** A union whose branches are all single primitives, as one op; else null. */
    static SkipRun union(Node[] branches) {
      int[] branchOps = new int[branches.length];
      for (int i = 0; i < branches.length; i++) {
        if (!(branches[i] instanceof SkipRun s)
            || s.ops.length != 1
            || (s.ops[0] & 0xff) == UNION) {
          return null;
        }
        branchOps[i] = s.ops[0];
      }
      return new SkipRun(new int[] {UNION}, new int[][] {branchOps});
    }

    /**
     * Fuses neighbouring runs, inlines the fields of finished records that do not recurse, and
     * drops nulls.
     */
    static Node[] merge(Node[] nodes) {
      var out = new ArrayList<Node>();
      var run = new ArrayList<Integer>();
      var runUnions = new ArrayList<int[]>();
      mergeInto(nodes, out, run, runUnions);
      flush(out, run, runUnions);
      return out.toArray(Node[]::new);
    }

    private static void mergeInto(
        Node[] nodes, List<Node> out, List<Integer> run, List<int[]> runUnions) {
      for (Node n : nodes) {
        if (n instanceof SkipRun s) {
          for (int op : s.ops) {
            int kind = op & 0xff;
            if (kind == UNION) {
              run.add(UNION | (runUnions.size() << 8));
              runUnions.add(s.unions[op >>> 8]);
            } else if (kind != NULL) {
              run.add(op);
            }
          }
        } else if (n instanceof RecordNode r && !r.recursive && r.fields != null) {
          mergeInto(r.fields, out, run, runUnions);
        } else {
          flush(out, run, runUnions);
          out.add(n);
        }
      }
    }

    private static void flush(List<Node> out, List<Integer> run, List<int[]> runUnions) {
      if (!run.isEmpty()) {
        out.add(
            new SkipRun(
                run.stream().mapToInt(Integer::intValue).toArray(),
                runUnions.toArray(int[][]::new)));
        run.clear();
        runUnions.clear();
      }
    }

    @Override
    void walk(Cursor c) {
      byte[] b = c.buf;
      int p = c.pos;
      int[] ops = this.ops;
      for (int k = 0; k < ops.length; k++) {
        int op = ops[k];
        int kind = op & 0xff;
        if (kind == UNION) {
          int[] branches = unions[op >>> 8];
          int i;
          if (p < b.length && (b[p] & 0x81) == 0) {
            i = b[p++] >>> 1;
          } else {
            c.pos = p;
            i = c.readInt();
            p = c.pos;
          }
          if (i >= branches.length || i < 0) {
            throw outOfRange(c, p, "union index", i, branches.length);
          }
          op = branches[i];
          kind = op & 0xff;
        }
        // Fast paths for one-byte varints; anything else goes through the cursor.
        if (kind == BYTES) {
          int x;
          if (p < b.length && ((x = b[p]) & 0x81) == 0 && (x >>> 1) < b.length - p) {
            p += 1 + (x >>> 1);
          } else {
            c.pos = p;
            int len = c.readLength();
            p = c.pos + len;
          }
        } else if (kind == INT || kind == LONG) {
          if (p < b.length && b[p] >= 0) {
            p++;
          } else {
            c.pos = p;
            c.skipVarint(kind == INT ? 5 : 10);
            p = c.pos;
          }
        } else {
          p = skipOther(op, kind, b, p, c);
        }
      }
      c.pos = p;
    }

    private static int skipOther(int op, int kind, byte[] b, int p, Cursor c) {
      int size;
      switch (kind) {
        case DOUBLE -> size = 8;
        case FLOAT -> size = 4;
        case FIXED -> size = op >>> 8;
        case ENUM -> {
          int i;
          if (p < b.length && (b[p] & 0x81) == 0) {
            i = b[p++] >>> 1;
          } else {
            c.pos = p;
            i = c.readInt();
            p = c.pos;
          }
          if (i >= op >>> 8 || i < 0) {
            throw outOfRange(c, p, "enum index", i, op >>> 8);
          }
          return p;
        }
        case BOOLEAN -> {
          if (p < b.length && (b[p] == 0 || b[p] == 1)) {
            return p + 1;
          }
          c.pos = p;
          throw p >= b.length
              ? c.truncated(1)
              : c.malformed("boolean byte " + b[p] + " is neither 0 nor 1");
        }
        default -> {
          return p;
        }
      }
      if (b.length - p < size) {
        c.pos = p;
        throw c.truncated(size - (b.length - p));
      }
      return p + size;
    }

    private static MalformedRecordException outOfRange(Cursor c, int p, String what, int i, int n) {
      c.pos = p;
      return c.malformed(
          what
              + " "
              + i
              + " out of range ("
              + n
              + (what.startsWith("enum") ? " symbols)" : " branches)"));
    }
  }

  static final class RecordNode extends Node {
    Node[] fields;
    boolean recursive;

    RecordNode(Node[] fields, boolean recursive) {
      this.fields = fields;
      this.recursive = recursive;
    }

    @Override
    void walk(Cursor c) {
      if (recursive && ++c.depth > Cursor.MAX_DEPTH) {
        throw c.malformed("records nested deeper than " + Cursor.MAX_DEPTH);
      }
      for (Node f : fields) {
        f.walk(c);
      }
      if (recursive) {
        c.depth--;
      }
    }
  }

  static final class UnionNode extends Node {
    private final Node[] branches;

    UnionNode(Node[] branches) {
      this.branches = branches;
    }

    @Override
    void walk(Cursor c) {
      int i = c.readIndex();
      if (i < 0 || i >= branches.length) {
        throw c.malformed("union index " + i + " out of range (" + branches.length + " branches)");
      }
      branches[i].walk(c);
    }
  }

  /** The null branch of a union on a required path. */
  static final class NullBranch extends Node {
    private final DataRule rule;
    private final String message;

    NullBranch(DataRule rule, String message) {
      this.rule = rule;
      this.message = message;
    }

    @Override
    void walk(Cursor c) {
      c.violate(rule, message);
    }
  }

  static final class ArrayNode extends Node {
    private final Node items;
    private final LengthRule[] lengthRules;
    private final int itemMinSize;

    ArrayNode(Node items, LengthRule[] lengthRules, int itemMinSize) {
      this.items = items;
      this.lengthRules = lengthRules;
      this.itemMinSize = itemMinSize;
    }

    @Override
    void walk(Cursor c) {
      long total = 0;
      while (true) {
        long count = blockCount(c, total, itemMinSize, "array");
        if (count == 0) {
          break;
        }
        long declared = c.pendingBlockBytes;
        int start = c.pos;
        for (long k = 0; k < count; k++) {
          items.walk(c);
        }
        checkBlockBytes(c, declared, start, "array");
        total += count;
      }
      for (LengthRule r : lengthRules) {
        r.check(total, "item(s)", c);
      }
    }
  }

  static final class MapNode extends Node {
    private final Node values;
    private final LengthRule[] lengthRules;
    private final int entryMinSize;

    MapNode(Node values, LengthRule[] lengthRules, int valueMinSize) {
      this.values = values;
      this.lengthRules = lengthRules;
      this.entryMinSize = 1 + valueMinSize;
    }

    @Override
    void walk(Cursor c) {
      long total = 0;
      while (true) {
        long count = blockCount(c, total, entryMinSize, "map");
        if (count == 0) {
          break;
        }
        long declared = c.pendingBlockBytes;
        int start = c.pos;
        for (long k = 0; k < count; k++) {
          int keyLength = c.readLength();
          c.pos += keyLength;
          values.walk(c);
        }
        checkBlockBytes(c, declared, start, "map");
        total += count;
      }
      for (LengthRule r : lengthRules) {
        r.check(total, "entries", c);
      }
    }
  }

  /**
   * Reads an array or map block header: its item count, and its byte size when the count is
   * negative (left in {@link Cursor#pendingBlockBytes}, else -1). Refuses counts the bytes left
   * cannot hold, so a forged count cannot make the walk spin.
   */
  private static long blockCount(Cursor c, long total, int minSize, String what) {
    long count = c.readLong();
    c.pendingBlockBytes = -1;
    if (count < 0) {
      if (count == Long.MIN_VALUE) {
        throw c.malformed(what + " block count out of range");
      }
      count = -count;
      long bytes = c.readLong();
      if (bytes < 0) {
        throw c.malformed(what + " block size " + bytes + " is negative");
      }
      c.pendingBlockBytes = bytes;
    }
    if (minSize > 0) {
      if (count > c.remaining() / minSize) {
        throw c.malformed(
            what
                + " block of "
                + count
                + " item(s) cannot fit in the "
                + c.remaining()
                + " byte(s) left");
      }
    } else if (total + count > MAX_EMPTY_ITEMS) {
      throw c.malformed(what + " of more than " + MAX_EMPTY_ITEMS + " empty items");
    }
    return count;
  }

  private static void checkBlockBytes(Cursor c, long declared, int start, String what) {
    if (declared >= 0 && c.pos - start != declared) {
      throw c.malformed(
          what + " block declares " + declared + " byte(s) but its items take " + (c.pos - start));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Leaves that rules read

  /** Length bounds on an array or map. */
  static final class LengthRule {
    final DataRule rule;
    final long min;
    final long max;

    LengthRule(DataRule rule) {
      this.rule = rule;
      this.min = rule.minLength().orElse(-1);
      this.max = rule.maxLength().orElse(-1);
    }

    void check(long n, String unit, Cursor c) {
      if (min >= 0 && n < min) {
        c.violate(rule, rule.field() + " has " + n + " " + unit + ", fewer than minLength " + min);
      } else if (max >= 0 && n > max) {
        c.violate(rule, rule.field() + " has " + n + " " + unit + ", more than maxLength " + max);
      }
    }
  }

  static final class LongRule {
    final DataRule rule;
    final long lo;
    final long hi;
    final long[] allowed;

    LongRule(DataRule rule) {
      this.rule = rule;
      this.lo =
          rule.min().map(m -> clamp(m.setScale(0, RoundingMode.CEILING))).orElse(Long.MIN_VALUE);
      this.hi =
          rule.max().map(m -> clamp(m.setScale(0, RoundingMode.FLOOR))).orElse(Long.MAX_VALUE);
      long[] values = null;
      if (!rule.allowed().isEmpty()) {
        var parsed = new ArrayList<Long>();
        for (String v : rule.allowed()) {
          try {
            parsed.add(Long.parseLong(v.trim()));
          } catch (NumberFormatException e) {
            // Not an integer: no int or long can equal it.
          }
        }
        values = parsed.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      this.allowed = values;
    }

    private static long clamp(BigDecimal v) {
      if (v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        return Long.MAX_VALUE;
      }
      if (v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
        return Long.MIN_VALUE;
      }
      return v.longValueExact();
    }

    void check(long v, Cursor c) {
      if (v < lo) {
        c.violate(
            rule,
            rule.field() + " is " + v + ", below the minimum " + rule.min().get().toPlainString());
      } else if (v > hi) {
        c.violate(
            rule,
            rule.field() + " is " + v + ", above the maximum " + rule.max().get().toPlainString());
      } else if (allowed != null && Arrays.binarySearch(allowed, v) < 0) {
        c.violate(rule, rule.field() + " is " + v + ", not one of " + rule.allowed());
      }
    }
  }

  static final class IntegralLeaf extends Node {
    private final boolean isInt;
    private final LongRule[] rules;

    IntegralLeaf(boolean isInt, LongRule[] rules) {
      this.isInt = isInt;
      this.rules = rules;
    }

    @Override
    void walk(Cursor c) {
      long v = isInt ? c.readInt() : c.readLong();
      for (LongRule r : rules) {
        r.check(v, c);
      }
    }
  }

  static final class DoubleRule {
    final DataRule rule;
    final double lo;
    final double hi;

    DoubleRule(DataRule rule) {
      this.rule = rule;
      this.lo = rule.min().map(BigDecimal::doubleValue).orElse(Double.NEGATIVE_INFINITY);
      this.hi = rule.max().map(BigDecimal::doubleValue).orElse(Double.POSITIVE_INFINITY);
    }

    void check(double v, Cursor c) {
      // Written so that NaN fails both bounds.
      if (!(v >= lo)) {
        c.violate(
            rule,
            rule.field()
                + " is "
                + v
                + ", below the minimum "
                + rule.min().map(BigDecimal::toPlainString).orElse("(NaN)"));
      } else if (!(v <= hi)) {
        c.violate(
            rule,
            rule.field()
                + " is "
                + v
                + ", above the maximum "
                + rule.max().map(BigDecimal::toPlainString).orElse("(NaN)"));
      }
    }
  }

  static final class FloatingLeaf extends Node {
    private final boolean isFloat;
    private final DoubleRule[] rules;

    FloatingLeaf(boolean isFloat, DoubleRule[] rules) {
      this.isFloat = isFloat;
      this.rules = rules;
    }

    @Override
    void walk(Cursor c) {
      byte[] b = c.buf;
      int p = c.pos;
      double v;
      if (isFloat) {
        c.skip(4);
        v = Float.intBitsToFloat(le32(b, p));
      } else {
        c.skip(8);
        v = Double.longBitsToDouble((le32(b, p) & 0xffffffffL) | ((long) le32(b, p + 4) << 32));
      }
      for (DoubleRule r : rules) {
        r.check(v, c);
      }
    }

    private static int le32(byte[] b, int p) {
      return (b[p] & 0xff)
          | (b[p + 1] & 0xff) << 8
          | (b[p + 2] & 0xff) << 16
          | (b[p + 3] & 0xff) << 24;
    }
  }

  static final class StringRule {
    final DataRule rule;
    final int minLength;
    final int maxLength;
    final Pattern pattern;
    final byte[][] allowed;
    final Set<String> allowedSet;

    StringRule(DataRule rule, boolean whole) {
      this.rule = rule;
      this.minLength = whole ? rule.minLength().orElse(-1) : -1;
      this.maxLength = whole ? rule.maxLength().orElse(-1) : -1;
      this.pattern = rule.pattern().orElse(null);
      if (rule.allowed().isEmpty()) {
        this.allowed = null;
        this.allowedSet = null;
      } else if (rule.allowed().size() <= 16) {
        this.allowed =
            rule.allowed().stream()
                .map(v -> v.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        this.allowedSet = null;
      } else {
        this.allowed = null;
        this.allowedSet = Set.copyOf(rule.allowed());
      }
    }

    boolean needsText() {
      return pattern != null || allowedSet != null;
    }

    void check(byte[] b, int start, int len, String text, Cursor c) {
      if (minLength >= 0 || maxLength >= 0) {
        int n = codePoints(b, start, len);
        if (minLength >= 0 && n < minLength) {
          c.violate(
              rule,
              rule.field() + " has " + n + " character(s), fewer than minLength " + minLength);
          return;
        }
        if (maxLength >= 0 && n > maxLength) {
          c.violate(
              rule, rule.field() + " has " + n + " character(s), more than maxLength " + maxLength);
          return;
        }
      }
      if (allowed != null && !isAllowed(b, start, len)) {
        c.violate(
            rule,
            rule.field()
                + " is \""
                + shorten(new String(b, start, len, StandardCharsets.UTF_8))
                + "\", not one of "
                + rule.allowed());
        return;
      }
      if (allowedSet != null && !allowedSet.contains(text)) {
        c.violate(rule, rule.field() + " is \"" + shorten(text) + "\", not an allowed value");
        return;
      }
      if (pattern != null && !pattern.matcher(text).matches()) {
        c.violate(
            rule,
            rule.field()
                + " is \""
                + shorten(text)
                + "\", which does not match the pattern "
                + pattern.pattern());
      }
    }

    private boolean isAllowed(byte[] b, int start, int len) {
      for (byte[] a : allowed) {
        if (a.length == len && Arrays.equals(b, start, start + len, a, 0, len)) {
          return true;
        }
      }
      return false;
    }
  }

  static final class StringLeaf extends Node {
    private final StringRule[] rules;
    private final boolean needsText;

    StringLeaf(StringRule[] rules) {
      this.rules = rules;
      boolean text = false;
      for (StringRule r : rules) {
        text |= r.needsText();
      }
      this.needsText = text;
    }

    @Override
    void walk(Cursor c) {
      int len = c.readLength();
      int start = c.pos;
      c.pos = start + len;
      String text = needsText ? new String(c.buf, start, len, StandardCharsets.UTF_8) : null;
      for (StringRule r : rules) {
        r.check(c.buf, start, len, text, c);
      }
    }
  }

  static final class BytesRule {
    final DataRule rule;
    final int minLength;
    final int maxLength;
    final BigDecimal min;
    final BigDecimal max;

    BytesRule(DataRule rule, boolean whole, boolean decimal) {
      this.rule = rule;
      this.minLength = whole ? rule.minLength().orElse(-1) : -1;
      this.maxLength = whole ? rule.maxLength().orElse(-1) : -1;
      this.min = decimal ? rule.min().orElse(null) : null;
      this.max = decimal ? rule.max().orElse(null) : null;
    }

    void check(byte[] b, int start, int len, int scale, Cursor c) {
      if (minLength >= 0 && len < minLength) {
        c.violate(
            rule, rule.field() + " has " + len + " byte(s), fewer than minLength " + minLength);
        return;
      }
      if (maxLength >= 0 && len > maxLength) {
        c.violate(
            rule, rule.field() + " has " + len + " byte(s), more than maxLength " + maxLength);
        return;
      }
      if (min == null && max == null) {
        return;
      }
      if (len == 0) {
        c.violate(rule, rule.field() + " is an empty decimal, which has no value");
        return;
      }
      BigDecimal v = new BigDecimal(new BigInteger(b, start, len), scale);
      if (min != null && v.compareTo(min) < 0) {
        c.violate(
            rule,
            rule.field()
                + " is "
                + v.toPlainString()
                + ", below the minimum "
                + min.toPlainString());
      } else if (max != null && v.compareTo(max) > 0) {
        c.violate(
            rule,
            rule.field()
                + " is "
                + v.toPlainString()
                + ", above the maximum "
                + max.toPlainString());
      }
    }
  }

  /** A bytes or fixed value that rules read: lengths, or a decimal's value. */
  static final class BytesLeaf extends Node {
    private final int fixedSize;
    private final int scale;
    private final BytesRule[] rules;

    BytesLeaf(int fixedSize, int scale, BytesRule[] rules) {
      this.fixedSize = fixedSize;
      this.scale = scale;
      this.rules = rules;
    }

    @Override
    void walk(Cursor c) {
      int len;
      if (fixedSize >= 0) {
        len = fixedSize;
        c.skip(len);
      } else {
        len = c.readLength();
        c.pos += len;
      }
      int start = c.pos - len;
      for (BytesRule r : rules) {
        r.check(c.buf, start, len, scale, c);
      }
    }
  }

  static final class EnumRule {
    final DataRule rule;
    final boolean[] ok;

    EnumRule(DataRule rule, List<String> symbols) {
      this.rule = rule;
      this.ok = new boolean[symbols.size()];
      for (int i = 0; i < ok.length; i++) {
        String symbol = symbols.get(i);
        ok[i] =
            (rule.allowed().isEmpty() || rule.allowed().contains(symbol))
                && rule.pattern().map(p -> p.matcher(symbol).matches()).orElse(true);
      }
    }
  }

  static final class EnumLeaf extends Node {
    private final List<String> symbols;
    private final EnumRule[] rules;

    EnumLeaf(List<String> symbols, EnumRule[] rules) {
      this.symbols = symbols;
      this.rules = rules;
    }

    @Override
    void walk(Cursor c) {
      int i = c.readIndex();
      if (i < 0 || i >= symbols.size()) {
        throw c.malformed("enum index " + i + " out of range (" + symbols.size() + " symbols)");
      }
      for (EnumRule r : rules) {
        if (!r.ok[i]) {
          c.violate(
              r.rule,
              r.rule.field()
                  + " is "
                  + symbols.get(i)
                  + ", which rule "
                  + r.rule.name()
                  + " does not allow ("
                  + r.rule.describe()
                  + ")");
        }
      }
    }
  }

  static int codePoints(byte[] b, int start, int len) {
    int n = 0;
    for (int i = start, end = start + len; i < end; i++) {
      if ((b[i] & 0xc0) != 0x80) {
        n++;
      }
    }
    return n;
  }

  static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
