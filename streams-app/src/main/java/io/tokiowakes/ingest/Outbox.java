package io.tokiowakes.ingest;

import io.tokiowakes.model.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packs the records that pass the filter into one {@link Batch} per source before they cross to
 * the wake stage. A record sent alone through a repartition topic costs the producer, the broker
 * and the consumer more than everything else the job does with it; sent in batches, one source's
 * records of a few milliseconds cost one send.
 * <p>
 * Open batches are kept in memory and written to a table (in the job a changelogged store, key =
 * source) by {@link #persist()}, which the job runs just before every commit: a record whose
 * input offset is committed is in the changelog or already sent, and a crash loses nothing, while
 * a batch is encoded and written once a commit, not once per record appended. Batches leave when
 * full or when the filter stage flushes (every few milliseconds).
 */
public final class Outbox {

    /** A batch leaves once it holds this many records... */
    public static final int MAX_RECORDS = 128;
    /** ...or this many bytes. */
    static final int MAX_BYTES = 8 * 1024;

    private final Table<byte[]> table;
    private final int partition;
    private final Map<String, BatchCodec.Writer> open = new HashMap<>();
    /** Sources whose open batch changed since the last {@link #persist()}. */
    private final Set<String> changed = new HashSet<>();
    /** Sources with a batch in the table: sending it must delete it there. */
    private final Set<String> persisted = new HashSet<>();

    /** Picks up the batches a previous run of this partition's task had not sent yet. */
    public Outbox(Table<byte[]> table, int partition) {
        this.table = table;
        this.partition = partition;
        table.forEach((source, bytes) -> {
            BatchCodec.Writer w = new BatchCodec.Writer();
            BatchCodec.decode(bytes).records().forEach(w::append);
            open.put(source, w);
            persisted.add(source);
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
        changed.add(source);
        return w.count() >= MAX_RECORDS || w.bytes() >= MAX_BYTES;
    }

    /** Writes every open batch that changed since the last call to the table. */
    public void persist() {
        for (String source : changed) {
            BatchCodec.Writer w = open.get(source);
            if (w != null) {
                table.put(source, w.toBatch(source, partition, Long.MIN_VALUE));
                persisted.add(source);
            }
        }
        changed.clear();
    }

    /**
     * Removes a source's open batch.
     *
     * @param readUpTo what the batch claims (see {@link Batch#readUpTo()})
     * @return the batch as it goes on the topic
     */
    public byte[] take(String source, long readUpTo) {
        BatchCodec.Writer w = open.remove(source);
        forget(source);
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
            forget(source);
        });
        open.clear();
        return out;
    }

    private void forget(String source) {
        changed.remove(source);
        if (persisted.remove(source)) {
            table.delete(source);
        }
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
