package io.tokiowakes.topology;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Records held until they can be applied in order. The store (with its changelog) makes them
 * survive a crash; an in-memory sorted copy, loaded from the store at start, is what is read,
 * so that holding and releasing a record costs one write each and no scan.
 */
final class OrderingBuffer {

    // Keys: source, a separator below every printable character, then fixed-width hex of the
    // sort key and of the arrival, so that one source's records sort in order.
    private static final String FROM = "\u0001";
    private static final String TO = "\u0002";

    private final KeyValueStore<String, Held> store;
    private final TreeMap<String, Held> held = new TreeMap<>();

    OrderingBuffer(KeyValueStore<String, Held> store) {
        this.store = store;
        try (KeyValueIterator<String, Held> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, Held> kv = it.next();
                held.put(kv.key, kv.value);
            }
        }
    }

    void hold(String source, long sortKey, long arrival, Held h) {
        String key = source + FROM + hex(sortKey) + hex(arrival);
        held.put(key, h);
        store.put(key, h);
    }

    /** The Kafka timestamp of the source's first held record, or null when none is held. */
    Long headProducedMs(String source) {
        Map.Entry<String, Held> head = held.ceilingEntry(source + FROM);
        return head == null || !head.getKey().startsWith(source + FROM) ? null : head.getValue().producedMs();
    }

    /** Removes and returns the source's leading records, in order, while they pass the test. */
    List<Held> release(String source, Predicate<Held> ready) {
        List<Held> out = new ArrayList<>();
        Map<String, Held> range = held.subMap(source + FROM, source + TO);
        for (var it = range.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held> e = it.next();
            if (!ready.test(e.getValue())) {
                break;
            }
            out.add(e.getValue());
            store.delete(e.getKey());
            it.remove();
        }
        return out;
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }
}
