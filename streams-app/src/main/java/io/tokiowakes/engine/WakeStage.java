package io.tokiowakes.engine;

import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.order.OrderingBuffer;
import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.detect.TaskLints;
import io.tokiowakes.emit.Output;
import io.tokiowakes.model.SourceState;
import io.tokiowakes.model.TraceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Resolve, classify, detect: the per-source stage. Records of one source arrive here from every
 * input partition, interleaved in any order, however far apart the partitions are read. They are
 * held in an ordering buffer and handed to the {@link WakeEngine} in {@code seq} order once every
 * input partition has been read a window past their Kafka timestamp (each partition's progress
 * comes with its records and with heartbeats), so no record still unread can precede them. A
 * record that arrives after a later one was released anyway is counted as late and applied at once.
 */
public final class WakeStage {

    /** Where outputs go, with the timestamp of the record that released them. */
    @FunctionalInterface
    public interface Emitter {
        void emit(Output out, long timestamp);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WakeStage.class);
    /** A stray span ID is reported once per this much trace time of its source. */
    static final long UNKNOWN_WAKE_RETENTION_NANOS = Duration.ofMinutes(10).toNanos();

    private final WakeEngine engine;
    private final JobMetrics metrics;
    private final long windowMs;
    private final CachedSourceStore store;
    private final OrderingBuffer buffer;
    private final LongSupplier wallClockMs;
    private final Emitter emitter;
    /**
     * How far each input partition has been read, as last heard (not stored: after a restart
     * nothing is released until every partition has been heard from again).
     */
    private long[] readUpTo;

    /**
     * @param lints           the lints' thresholds
     * @param windowMs        the ordering window: a record is applied once every input partition has
     *                        been read this far (ms of Kafka timestamps) past it
     * @param inputPartitions partitions of the input topic, each of which must have been heard from
     * @param metrics         counts late records, source restarts and outputs
     * @param store           the stage's state tables, one source at a time
     * @param buffer          the held records
     * @param wallClockMs     the wall clock (ms), for how long a source has been silent
     * @param emitter         where outputs go
     */
    public WakeStage(LintSettings lints, long windowMs, int inputPartitions, JobMetrics metrics, CachedSourceStore store,
                     OrderingBuffer buffer, LongSupplier wallClockMs, Emitter emitter) {
        this.engine = new WakeEngine(new TaskLints(lints));
        this.metrics = metrics;
        this.windowMs = windowMs;
        this.store = store;
        this.buffer = buffer;
        this.wallClockMs = wallClockMs;
        this.emitter = emitter;
        this.readUpTo = new long[inputPartitions];
        Arrays.fill(readUpTo, Long.MIN_VALUE);
    }

    /**
     * A batch or heartbeat from the filter stage.
     *
     * @param bytes     the batch as it came, stored as it is while any of its records is held
     * @param timestamp its Kafka timestamp, given to the outputs it releases
     */
    public void accept(Batch batch, byte[] bytes, long timestamp) {
        int partition = batch.partition();
        if (partition >= readUpTo.length) {
            // The input topic has more partitions than when the job started: wait for a restart.
            LOG.warn("input partition {} is beyond the {} the job was started with; restart the job",
                    partition, readUpTo.length);
            readUpTo = Arrays.copyOf(readUpTo, partition + 1);
            readUpTo[partition] = Long.MIN_VALUE;
        }
        readUpTo[partition] = Math.max(readUpTo[partition], batch.readUpTo());
        if (batch.isHeartbeat()) {
            releaseAll(timestamp);
            return;
        }
        String source = batch.source();
        SourceState s = store.bind(source).source();
        long firstArrival = s.arrivals;
        String key = OrderingBuffer.batchKey(source, firstArrival);
        int skip = 0;
        List<Held> records = batch.records();
        for (int i = 0; i < records.size(); i++) {
            TraceRecord r = records.get(i).record();
            OrderingBuffer.Slot slot = new OrderingBuffer.Slot(OrderingBuffer.sortKey(r), firstArrival + i);
            if (restarted(r, s)) {
                // Apply what the old process still had in the buffer, then start the source afresh.
                release(source, Long.MAX_VALUE, timestamp);
                engine.restart(store);
                s = store.source();
                s.lastReleasedKey = OrderingBuffer.Slot.BEFORE_ALL.sortKey();
                s.lastReleasedArrival = OrderingBuffer.Slot.BEFORE_ALL.arrival();
                s.arrivedSeq = -1;
                skip = i;
                metrics.sourceRestart(source);
                LOG.warn("source {}: seq went back to {} at a later time: the process restarted; its old tasks are forgotten",
                        source, r.seq());
            }
            s.arrivedNanos = Math.max(s.arrivedNanos, r.tsNanos());
            if (r.seq() != null) {
                s.arrivedSeq = Math.max(s.arrivedSeq, r.seq());
            }
            if (slot.compareTo(lastReleased(s)) < 0) {
                // Past the window: applied at once, in the order it came.
                late(r, s);
                apply(r, slot, timestamp);
                continue;
            }
            s.buffered++;
            buffer.hold(source, slot, records.get(i), key);
        }
        s.arrivals += records.size();
        s.lastArrivalWallMs = wallClockMs.getAsLong();
        buffer.store(key, firstArrival, skip, bytes);
        store.putSource(s);
        release(source, horizon(), timestamp);
    }

    private void late(TraceRecord r, SourceState s) {
        s.late++;
        metrics.lateRecord(r.source());
        if (Long.bitCount(s.late) == 1) {
            LOG.warn("source {}: {} record(s) arrived after a later one was applied (seq {})",
                    r.source(), s.late, r.seq());
        }
    }

    private static OrderingBuffer.Slot lastReleased(SourceState s) {
        return new OrderingBuffer.Slot(s.lastReleasedKey, s.lastReleasedArrival);
    }

    /** Forgets stray span IDs reported more than {@link #UNKNOWN_WAKE_RETENTION_NANOS} ago. */
    public void expireUnknownWakes() {
        store.expireUnknownWakes(UNKNOWN_WAKE_RETENTION_NANOS);
    }

    /** Records produced before this can be released: every partition has been read past them. */
    private long horizon() {
        long min = Long.MAX_VALUE;
        for (long p : readUpTo) {
            min = Math.min(min, p);
        }
        if (min == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return min == Long.MAX_VALUE ? Long.MAX_VALUE : min - windowMs;
    }

    private void releaseAll(long timestamp) {
        long horizon = horizon();
        if (horizon == Long.MIN_VALUE) {
            return;
        }
        for (String source : store.sourceNames()) {
            Long head = buffer.headProducedMs(source);
            if (head != null && head <= horizon) {
                release(source, horizon, timestamp);
            }
        }
    }

    /** Hands the source's held records produced up to the horizon to the engine, in order. */
    private void release(String source, long horizon, long timestamp) {
        List<OrderingBuffer.Pending> ready = buffer.release(source, h -> h.producedMs() <= horizon);
        if (ready.isEmpty()) {
            return;
        }
        SourceState s = store.bind(source).source();
        s.buffered -= ready.size();
        for (OrderingBuffer.Pending p : ready) {
            apply(p.held().record(), p.slot(), timestamp);
        }
        store.putSource(store.source());
    }

    private void apply(TraceRecord r, OrderingBuffer.Slot slot, long timestamp) {
        SourceState s = store.source();
        if (slot.compareTo(lastReleased(s)) > 0) {
            s.lastReleasedKey = slot.sortKey();
            s.lastReleasedArrival = slot.arrival();
        }
        engine.apply(r, store, out -> {
            metrics.output(out);
            emitter.emit(out, timestamp);
        });
    }

    /**
     * A record earlier in seq than one that arrived, yet later in time than anything that arrived:
     * not a record that came out of order (those are older in both) but a new process under the
     * same source name.
     */
    private static boolean restarted(TraceRecord r, SourceState s) {
        return r.seq() != null && r.seq() < s.arrivedSeq && r.tsNanos() > s.arrivedNanos;
    }
}
