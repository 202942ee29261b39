package io.tokiowakes.topology;

import io.tokiowakes.model.Table;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** The job's {@link Table}s over Kafka Streams stores: the stages themselves know no Kafka. */
final class StoreTables {

    private StoreTables() {
    }

    static <V> Table<V> of(KeyValueStore<String, V> store) {
        return new Table<>() {
            @Override
            public V get(String key) {
                return store.get(key);
            }

            @Override
            public void put(String key, V value) {
                store.put(key, value);
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }

            @Override
            public void forEach(BiConsumer<String, V> action) {
                try (KeyValueIterator<String, V> it = store.all()) {
                    while (it.hasNext()) {
                        KeyValue<String, V> kv = it.next();
                        action.accept(kv.key, kv.value);
                    }
                }
            }

            @Override
            public List<String> keys(String from, String to) {
                List<String> keys = new ArrayList<>();
                try (KeyValueIterator<String, V> it = store.range(from, to)) {
                    while (it.hasNext()) {
                        String key = it.next().key;
                        if (key.compareTo(to) < 0) {
                            keys.add(key);
                        }
                    }
                }
                return keys;
            }
        };
    }
}
