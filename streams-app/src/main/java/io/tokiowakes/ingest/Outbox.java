package io.tokiowakes.ingest;

import io.tokiowakes.model.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs the records that pass the filter into one {@link Batch} per source before they cross to
 * the wake stage. A record sent alone through a repartition topic costs the producer, the broker
 * and the consumer more than everything else the job does with it; sent in batches, one source's
 * records of a few milliseconds cost one send.
 * <p>
 * Open batches live in a table (in the job a cached, changelogged store, key = source): each
 * append writes the batch to the store's cache, which reaches the changelog once per commit. So a
 * record whose input offset is committed is in the changelog or already sent, and a crash loses
 * nothing. Batches leave when full or when the filter stage flushes (every few milliseconds).
 */
public final class Outbox {

    /** A batch leaves once it holds this many records... */
    public static final int MAX_RECORDS = 128;
    /** ...or this many bytes: each append copies the open batch into the store's cache. */
    static final int MAX_BYTES = 8 * 1024;

    private final Table<byte[]> table;
    private final int partition;
    private final Map<String, BatchCodec.Writer> open = new HashMap<>();

    /** Picks up the batches a previous run of this partition's task had not sent yet. */
    public Outbox(Table<byte[]> table, int partition) {
        this.table = table;
        this.partition = partition;
        table.forEach((source, bytes) -> {
            BatchCodec.Writer w = new BatchCodec.Writer();
            BatchCodec.decode(bytes).records().forEach(w::append);
            open.put(source, w);
        });
    }

    /**
     * Adds a record to its source's open batch.
     *
     * @return whether that batch is now full: {@link #take} it and send it
     */
    public boolean append(String source, Held record) {
        BatchCodec.Writer w = open.computeIfAbsent(source, s -> new BatchCodec.Writer());
        w.append(record);
        if (w.count() >= MAX_RECORDS || w.bytes() >= MAX_BYTES) {
            return true;
        }
        table.put(source, w.toBatch(source, partition, Long.MIN_VALUE));
        return false;
    }

    /**
     * Removes a source's open batch.
     *
     * @param readUpTo what the batch claims (see {@link Batch#readUpTo()})
     * @return the batch as it goes on the topic
     */
    public byte[] take(String source, long readUpTo) {
        BatchCodec.Writer w = open.remove(source);
        table.delete(source);
        return w.toBatch(source, partition, readUpTo);
    }

    /**
     * Every open batch, to be sent now; the outbox is then empty.
     *
     * @param readUpTo what each batch claims: one that still holds while all of them are unsent
     *                 (see {@link Batch#readUpTo()}), since they reach the wake stage one by one
     */
    public List<Map.Entry<String, byte[]>> drain(long readUpTo) {
        List<Map.Entry<String, byte[]>> out = new ArrayList<>(open.size());
        open.forEach((source, w) -> {
            out.add(Map.entry(source, w.toBatch(source, partition, readUpTo)));
            table.delete(source);
        });
        open.clear();
        return out;
    }

    /** Kafka timestamp of the earliest record not yet sent, {@link Long#MAX_VALUE} when none. */
    public long oldestProducedMs() {
        long oldest = Long.MAX_VALUE;
        for (BatchCodec.Writer w : open.values()) {
            oldest = Math.min(oldest, w.firstProducedMs());
        }
        return oldest;
    }
}
