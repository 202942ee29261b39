package io.tokiowakes.model;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A table of the job's state, keyed by string: a Kafka Streams store (with its changelog) in the
 * job, a sorted map when a file is analysed in-process. The stages see only this.
 */
public interface Table<V> {

    V get(String key);

    void put(String key, V value);

    void delete(String key);

    /** Every entry, in key order. */
    void forEach(BiConsumer<String, V> action);

    /** The keys from {@code from} (inclusive) to {@code to} (exclusive). */
    List<String> keys(String from, String to);

    /**
     * A table that keeps nothing: for in-process runs, where the stages' in-memory copies in
     * front of their tables are the whole state and nothing has to survive a restart.
     */
    static <V> Table<V> none() {
        return new Table<>() {
            @Override
            public V get(String key) {
                return null;
            }

            @Override
            public void put(String key, V value) {
            }

            @Override
            public void delete(String key) {
            }

            @Override
            public void forEach(BiConsumer<String, V> action) {
            }

            @Override
            public List<String> keys(String from, String to) {
                return List.of();
            }
        };
    }

    /** A sorted map: for tests and in-process runs. */
    static <V> Table<V> inMemory() {
        TreeMap<String, V> map = new TreeMap<>();
        return new Table<>() {
            @Override
            public V get(String key) {
                return map.get(key);
            }

            @Override
            public void put(String key, V value) {
                map.put(key, value);
            }

            @Override
            public void delete(String key) {
                map.remove(key);
            }

            @Override
            public void forEach(BiConsumer<String, V> action) {
                map.forEach(action);
            }

            @Override
            public List<String> keys(String from, String to) {
                return new ArrayList<>(map.subMap(from, to).keySet());
            }
        };
    }
}
