package io.tokiowakes.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Records held until they can be applied in order. The table (a store with its changelog in the
 * job) makes them survive a crash; an in-memory sorted copy per source, loaded from it at start,
 * is what is read, so that holding and releasing a record costs one write each and no scan.
 */
final class OrderingBuffer {

    // Table keys: source, a separator below every printable character, then fixed-width hex of
    // the sort key and of the arrival, so that one source's records sort in order.
    private static final char SEPARATOR = '\u0001';
    private static final int HEX = 16;

    /** A held record's place: by sort key, then arrival (both unsigned, as their hex sorts). */
    private record Slot(long sortKey, long arrival) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot o) {
            int c = Long.compareUnsigned(sortKey, o.sortKey);
            return c != 0 ? c : Long.compareUnsigned(arrival, o.arrival);
        }
    }

    private final Table<Held> table;
    private final Map<String, TreeMap<Slot, Held>> held = new HashMap<>();

    OrderingBuffer(Table<Held> table) {
        this.table = table;
        table.forEach((key, h) -> {
            int sep = key.lastIndexOf(SEPARATOR);
            Slot slot = new Slot(Long.parseUnsignedLong(key.substring(sep + 1, sep + 1 + HEX), 16),
                    Long.parseUnsignedLong(key.substring(sep + 1 + HEX), 16));
            bySource(key.substring(0, sep)).put(slot, h);
        });
    }

    void hold(String source, long sortKey, long arrival, Held h) {
        Slot slot = new Slot(sortKey, arrival);
        bySource(source).put(slot, h);
        table.put(key(source, slot), h);
    }

    /** The Kafka timestamp of the source's first held record, or null when none is held. */
    Long headProducedMs(String source) {
        TreeMap<Slot, Held> records = held.get(source);
        return records == null || records.isEmpty() ? null : records.firstEntry().getValue().producedMs();
    }

    /** Removes and returns the source's leading records, in order, while they pass the test. */
    List<Held> release(String source, Predicate<Held> ready) {
        List<Held> out = new ArrayList<>();
        TreeMap<Slot, Held> records = held.get(source);
        if (records == null) {
            return out;
        }
        for (var it = records.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Slot, Held> e = it.next();
            if (!ready.test(e.getValue())) {
                break;
            }
            out.add(e.getValue());
            table.delete(key(source, e.getKey()));
            it.remove();
        }
        return out;
    }

    private TreeMap<Slot, Held> bySource(String source) {
        return held.computeIfAbsent(source, s -> new TreeMap<>());
    }

    private static String key(String source, Slot slot) {
        return source + SEPARATOR + hex(slot.sortKey()) + hex(slot.arrival());
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(HEX - h.length()) + h;
    }
}
