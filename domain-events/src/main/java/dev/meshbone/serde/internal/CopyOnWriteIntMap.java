package dev.meshbone.serde.internal;

/**
 * An int-keyed map for read-mostly caches on a hot path: {@link #get(int)} is a lock-free read of
 * an immutable open-addressing table (no boxing, no allocation); {@link #put} copies the table
 * under a lock. Values are never null.
 */
public final class CopyOnWriteIntMap<V> {
  private static final class Table {
    final int[] keys;
    final Object[] values;
    final int size;

    Table(int capacity, int size) {
      this.keys = new int[capacity];
      this.values = new Object[capacity];
      this.size = size;
    }
  }

  private volatile Table table = new Table(16, 0);

  private static int slot(int key, int mask) {
    int h = key * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }

  @SuppressWarnings("unchecked")
  public V get(int key) {
    Table t = table;
    int mask = t.keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      Object value = t.values[i];
      if (value == null) {
        return null;
      }
      if (t.keys[i] == key) {
        return (V) value;
      }
    }
  }

  /** Adds or replaces the value of {@code key}. */
  public synchronized void put(int key, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    Table old = table;
    boolean replacing = get(key) != null;
    int size = replacing ? old.size : old.size + 1;
    int capacity = old.keys.length;
    while (size * 2 > capacity) {
      capacity *= 2;
    }
    Table next = new Table(capacity, size);
    for (int i = 0; i < old.keys.length; i++) {
      if (old.values[i] != null && old.keys[i] != key) {
        insert(next, old.keys[i], old.values[i]);
      }
    }
    insert(next, key, value);
    table = next;
  }

  private static void insert(Table t, int key, Object value) {
    int mask = t.keys.length - 1;
    int i = slot(key, mask);
    while (t.values[i] != null) {
      i = (i + 1) & mask;
    }
    t.keys[i] = key;
    t.values[i] = value;
  }

  public int size() {
    return table.size;
  }

  public synchronized void clear() {
    table = new Table(16, 0);
  }
}
