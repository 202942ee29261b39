package io.tokiowakes.order;

import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.model.Table;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.ingest.Held;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Records held until they can be applied in their source's order. What is read is an in-memory
 * sorted map per source. What survives a crash is the batches the records came in, each stored
 * once as it arrived (one write per batch, not per record) and deleted once all its records are
 * released; on restart the batches are read again and every record past the source's last
 * released place is held again.
 */
public final class OrderingBuffer {

    /**
     * A record's place in its source's order: {@code seq} (trace time when there is none), then
     * the order of arrival at the wake stage for records of equal sort key.
     */
    public record Slot(long sortKey, long arrival) implements Comparable<Slot> {
        public static final Slot BEFORE_ALL = new Slot(-1, -1);

        @Override
        public int compareTo(Slot o) {
            int c = Long.compare(sortKey, o.sortKey);
            return c != 0 ? c : Long.compare(arrival, o.arrival);
        }
    }

    /** A held record, its place and the stored batch it came in. */
    public record Pending(Slot slot, Held held, String batch) {
    }

    // Table keys: source, a separator below every printable character, the batch's first arrival.
    private static final char SEPARATOR = '\u0001';
    /** Stored value: first arrival (8 bytes), records to skip (4 bytes), then the batch as it came. */
    private static final int HEADER = 12;

    private final Table<byte[]> table;
    private final Map<String, TreeMap<Slot, Pending>> held = new HashMap<>();
    /** Records still held of each stored batch. */
    private final Map<String, Integer> remaining = new HashMap<>();

    /**
     * @param released each source's last released place: records up to it were applied
     */
    public OrderingBuffer(Table<byte[]> table, Function<String, Slot> released) {
        this.table = table;
        List<String> done = new ArrayList<>();
        table.forEach((key, value) -> {
            ByteBuffer b = ByteBuffer.wrap(value);
            long firstArrival = b.getLong();
            int skip = b.getInt();
            Batch batch = BatchCodec.decode(Arrays.copyOfRange(value, HEADER, value.length));
            Slot last = released.apply(batch.source());
            for (int i = skip; i < batch.records().size(); i++) {
                Held h = batch.records().get(i);
                Slot slot = new Slot(sortKey(h.record()), firstArrival + i);
                if (slot.compareTo(last) > 0) {
                    hold(batch.source(), slot, h, key);
                }
            }
            if (!remaining.containsKey(key)) {
                done.add(key);
            }
        });
        done.forEach(table::delete);
    }

    public static String batchKey(String source, long firstArrival) {
        return source + SEPARATOR + Long.toHexString(firstArrival);
    }

    public void hold(String source, Slot slot, Held h, String batch) {
        held.computeIfAbsent(source, s -> new TreeMap<>()).put(slot, new Pending(slot, h, batch));
        remaining.merge(batch, 1, Integer::sum);
    }

    /**
     * Stores a batch whose records were just held, unless none of them was.
     *
     * @param skip records at the start of the batch that must not be held again after a restart
     */
    public void store(String batch, long firstArrival, int skip, byte[] bytes) {
        if (!remaining.containsKey(batch)) {
            return;
        }
        table.put(batch, ByteBuffer.allocate(HEADER + bytes.length).putLong(firstArrival).putInt(skip).put(bytes).array());
    }

    /** The Kafka timestamp of the source's first held record, or null when none is held. */
    public Long headProducedMs(String source) {
        TreeMap<Slot, Pending> records = held.get(source);
        return records == null || records.isEmpty() ? null : records.firstEntry().getValue().held().producedMs();
    }

    /** Removes and returns the source's leading records, in order, while they pass the test. */
    public List<Pending> release(String source, Predicate<Held> ready) {
        List<Pending> out = new ArrayList<>();
        TreeMap<Slot, Pending> records = held.get(source);
        if (records == null) {
            return out;
        }
        while (!records.isEmpty() && ready.test(records.firstEntry().getValue().held())) {
            Pending p = records.pollFirstEntry().getValue();
            out.add(p);
            if (remaining.merge(p.batch(), -1, Integer::sum) == 0) {
                remaining.remove(p.batch());
                table.delete(p.batch());
            }
        }
        if (records.isEmpty()) {
            held.remove(source);
        }
        return out;
    }

    /** Records held, over all sources. */
    public long size() {
        long n = 0;
        for (TreeMap<Slot, Pending> m : held.values()) {
            n += m.size();
        }
        return n;
    }

    /** The order of a source's records: seq, or trace time where the producer sends no seq. */
    public static long sortKey(TraceRecord r) {
        return r.seq() != null ? r.seq() : r.tsNanos();
    }
}
