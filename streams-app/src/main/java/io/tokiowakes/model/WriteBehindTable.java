package io.tokiowakes.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A {@link Table} whose puts and deletes are kept in memory until {@link #write()}, which the job
 * runs at every commit: a key changed many times between two commits is written once, and, in a
 * table whose keys are never reused, a key put and deleted between two commits is never written.
 * Reads see the changes not yet written.
 */
public final class WriteBehindTable<V> implements Table<V> {

    private final Table<V> table;
    private final boolean keysAreNew;
    /** Changes since the last {@link #write()}: the value, or null for a delete. */
    private final Map<String, V> changes = new HashMap<>();

    /**
     * @param table      where the changes go
     * @param keysAreNew whether every key put is one the table has never held (e.g. numbered):
     *                   then a delete of a key put since the last write drops both
     */
    public WriteBehindTable(Table<V> table, boolean keysAreNew) {
        this.table = table;
        this.keysAreNew = keysAreNew;
    }

    /** Writes the changes since the last call to the table. */
    public void write() {
        changes.forEach((key, value) -> {
            if (value == null) {
                table.delete(key);
            } else {
                table.put(key, value);
            }
        });
        changes.clear();
    }

    @Override
    public V get(String key) {
        return changes.containsKey(key) ? changes.get(key) : table.get(key);
    }

    @Override
    public void put(String key, V value) {
        changes.put(key, value);
    }

    @Override
    public void delete(String key) {
        if (keysAreNew && changes.get(key) != null) {
            changes.remove(key);
        } else {
            changes.put(key, null);
        }
    }

    @Override
    public void forEach(BiConsumer<String, V> action) {
        write();
        table.forEach(action);
    }

    @Override
    public List<String> keys(String from, String to) {
        write();
        return table.keys(from, to);
    }
}
