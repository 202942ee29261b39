package io.tokiowakes.ingest;

import io.tokiowakes.model.SourceKeys;
import io.tokiowakes.model.Table;
import io.tokiowakes.model.RecordType;
import io.tokiowakes.model.TraceRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ingest: keeps only what wake resolution needs, before anything moves between partitions.
 * Span records are keyed by their span, so one partition sees a span's whole life; what it does
 * not see is that life in order. A task is spawned on one thread and polled and closed on others,
 * and a collector that buffers per thread sends each thread's records in order but the threads
 * interleaved: a task span's {@code span_enter} can arrive before its {@code span_new}, its
 * {@code span_close} before its last {@code span_exit}. So the filter decides by what it knows of
 * the span, whatever the order:
 * <ul>
 * <li>a task span (its {@code runtime.spawn} span_new was seen): enter, exit and close pass, and
 *     go on passing for a window after the close (records of the task that arrive after it);</li>
 * <li>a resource span ({@code runtime.resource}, {@code runtime.resource.async_op} or
 *     {@code runtime.resource.async_op.poll}): its span_new and span_close pass, so that the wake
 *     stage can follow a {@code waker.clone}'s parent chain to the resource it registers with;
 *     its enters and exits stop here;</li>
 * <li>another span (a user span: span_new seen): its records stop here, with every event but
 *     waker events (most of the traffic: resource enters and exits and state updates too);</li>
 * <li>a span never seen: its records are held until its span_new arrives (then they pass or stop
 *     with it) or until the partition has been read a window past them (the span was created
 *     before the input began, or by a thread whose records come later than the window allows:
 *     not a task, they stop and the span is remembered as such).</li>
 * </ul>
 * Waker events always pass. The wake stage puts whatever passes back in {@code seq} order.
 * <p>
 * Live task and resource spans and held records are in tables (changelogged stores in the job),
 * so that a resource's close passes after a restart too; the other spans only in memory, at most
 * {@link #MAX_OTHER_SPANS}: one forgotten is held once more for a window and remembered again.
 */
public final class TaskSpanFilter {

    /** Where records that pass go, with their Kafka timestamp (ms). */
    @FunctionalInterface
    public interface Kept {
        void accept(TraceRecord r, long producedMs);
    }

    static final int MAX_OTHER_SPANS = 1 << 18;
    private static final String CLOSED = "closed@";
    /** The index's value for a live resource span (a task span's value is its kind, never this). */
    private static final String RESOURCE = "resource@";

    /** A span of one source: the key of the filter's in-memory sets and maps. */
    record SpanKey(String source, long spanId) {
        static SpanKey of(TraceRecord r) {
            return new SpanKey(r.source(), r.spanId());
        }

        String tableKey() {
            return SourceKeys.span(source, spanId);
        }

        /**
         * Mixed, not a record's {@code 31 * source + id}: span IDs run 1, 2, 3... in every process and
         * a fleet's source names differ in a character or two, so that sum gives the same value to a
         * span of each source, and a table of many sources turns its buckets into trees.
         */
        @Override
        public int hashCode() {
            long h = (spanId ^ ((long) source.hashCode() << 32)) * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }

    /** A closed task span to forget once the partition is read a window past its close. */
    private record Closed(SpanKey span, long producedMs) {
    }

    /** A held record and its key in the table. */
    private record Waiting(Held held, String key) {
    }

    /** The records held for one span; expired a window after the first of them. */
    private record HeldSpan(SpanKey span, List<Waiting> records, long firstProducedMs) {
    }

    private final Table<String> index;
    private final Table<Held> heldTable;
    private final long windowMs;

    /** Live task spans. */
    private final Set<SpanKey> tasks = new HashSet<>();
    /** Live resource, async op and async op poll spans: their close passes. */
    private final Set<SpanKey> resources = new HashSet<>();
    /** Task spans closed less than a window ago, by the Kafka timestamp of their close. */
    private final Map<SpanKey, Long> closed = new HashMap<>();
    private final ArrayDeque<Closed> closedQueue = new ArrayDeque<>();
    /** Spans known not to be tasks; the least recently used is forgotten first. */
    private final Map<SpanKey, Boolean> others = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SpanKey, Boolean> eldest) {
            return size() > MAX_OTHER_SPANS;
        }
    };
    /** Records of spans never seen, in arrival order per span. */
    private final Map<SpanKey, HeldSpan> held = new HashMap<>();
    /** The same, oldest first; an entry whose span was decided meanwhile is skipped. */
    private final ArrayDeque<HeldSpan> heldQueue = new ArrayDeque<>();
    /** Numbers the held records' table keys. */
    private long heldSeq;

    /**
     * @param windowMs how long (Kafka time) to wait for records of a span that arrive out of order
     * @throws SerializationException when the index holds a key that is not a span key
     */
    public TaskSpanFilter(Table<String> index, Table<Held> heldTable, long windowMs) {
        this.index = index;
        this.heldTable = heldTable;
        this.windowMs = windowMs;
        index.forEach((key, value) -> {
            SpanKey span = parse(key);
            if (span == null) {
                throw new SerializationException("task span index key " + key
                        + ": not a span key of this job; reset the application's state to start afresh");
            }
            if (value.startsWith(CLOSED)) {
                long at = Long.parseLong(value.substring(CLOSED.length()));
                closed.put(span, at);
                closedQueue.add(new Closed(span, at));
            } else if (value.equals(RESOURCE)) {
                resources.add(span);
            } else {
                tasks.add(span);
            }
        });
        // In the order they arrived (their number), not the table's key order: the queue must be
        // oldest first, or the partition's claim would pass records still held after a restart.
        java.util.TreeMap<Long, Map.Entry<String, Held>> restored = new java.util.TreeMap<>();
        heldTable.forEach((key, h) -> restored.put(Long.parseLong(key.substring(key.lastIndexOf('#') + 1)), Map.entry(key, h)));
        restored.forEach((seq, e) -> {
            hold(e.getValue(), e.getKey());
            heldSeq = Math.max(heldSeq, seq + 1);
        });
    }

    /** Decides on one record; what passes (perhaps with held records of its span) goes to {@code out}. */
    public void accept(TraceRecord r, long producedMs, Kept out) {
        switch (r.type()) {
            case SPAN_NEW -> spanNew(r, producedMs, out);
            case SPAN_ENTER, SPAN_EXIT, SPAN_CLOSE -> spanRecord(r, producedMs, out);
            case SPAN_RECORD -> {
            }
            case EVENT -> {
                if (r.isWakerEvent()) {
                    out.accept(r, producedMs);
                }
            }
        }
    }

    private void spanNew(TraceRecord r, long producedMs, Kept out) {
        SpanKey span = SpanKey.of(r);
        HeldSpan waiting = held.remove(span);
        if (waiting != null) {
            waiting.records().forEach(w -> heldTable.delete(w.key()));
        }
        if (r.isTaskSpanNew()) {
            others.remove(span);
            closed.remove(span);
            resources.remove(span);
            if (tasks.add(span)) {
                index.put(span.tableKey(), r.task().kind());
            }
            out.accept(r, producedMs);
            if (waiting != null) {
                waiting.records().forEach(w -> out.accept(w.held().record(), w.held().producedMs()));
            }
            return;
        }
        // A new span with this ID: a task span of that ID whose close was lost is gone.
        boolean wasTask = tasks.remove(span) | closed.remove(span) != null;
        if (r.isResourceSpanNew()) {
            others.remove(span);
            resources.add(span);
            index.put(span.tableKey(), RESOURCE);
            out.accept(r, producedMs);
            if (waiting != null) {
                // Of what came before its span_new, only a close matters.
                waiting.records().forEach(w -> resourceRecord(w.held().record(), w.held().producedMs(), span, out));
            }
            return;
        }
        if (wasTask || resources.remove(span)) {
            index.delete(span.tableKey());
        }
        others.put(span, Boolean.TRUE);
    }

    /** A record of a live resource span: its close passes and ends it, its enters and exits stop. */
    private void resourceRecord(TraceRecord r, long producedMs, SpanKey span, Kept out) {
        if (r.type() == RecordType.SPAN_CLOSE && resources.remove(span)) {
            index.delete(span.tableKey());
            out.accept(r, producedMs);
        }
    }

    private void spanRecord(TraceRecord r, long producedMs, Kept out) {
        SpanKey span = SpanKey.of(r);
        if (tasks.contains(span)) {
            if (r.type() == RecordType.SPAN_CLOSE) {
                tasks.remove(span);
                closed.put(span, producedMs);
                closedQueue.add(new Closed(span, producedMs));
                index.put(span.tableKey(), CLOSED + producedMs);
            }
            out.accept(r, producedMs);
        } else if (closed.containsKey(span)) {
            out.accept(r, producedMs);
        } else if (resources.contains(span)) {
            resourceRecord(r, producedMs, span, out);
        } else if (others.containsKey(span)) {
            if (r.type() == RecordType.SPAN_CLOSE) {
                others.remove(span);
            }
        } else {
            Held h = new Held(r, producedMs);
            String key = span.tableKey() + "#" + heldSeq++;
            hold(h, key);
            heldTable.put(key, h);
        }
    }

    private void hold(Held h, String key) {
        SpanKey span = SpanKey.of(h.record());
        HeldSpan waiting = held.get(span);
        if (waiting == null) {
            waiting = new HeldSpan(span, new ArrayList<>(2), h.producedMs());
            held.put(span, waiting);
            heldQueue.add(waiting);
        }
        waiting.records().add(new Waiting(h, key));
    }

    /**
     * The partition has been read up to {@code readUpTo} (Kafka time, ms): records of unknown
     * spans held a window before that stop (those spans are not tasks), and closed task spans
     * are forgotten.
     */
    public void expire(long readUpTo) {
        long before = readUpTo == Long.MAX_VALUE ? Long.MAX_VALUE : readUpTo - windowMs;
        dropDecided();
        while (!heldQueue.isEmpty() && heldQueue.peek().firstProducedMs() <= before) {
            HeldSpan waiting = heldQueue.poll();
            held.remove(waiting.span());
            waiting.records().forEach(w -> heldTable.delete(w.key()));
            others.put(waiting.span(), Boolean.TRUE);
            dropDecided();
        }
        while (!closedQueue.isEmpty() && closedQueue.peek().producedMs() <= before) {
            Closed e = closedQueue.poll();
            Long at = closed.get(e.span());
            if (at != null && at == e.producedMs()) {
                closed.remove(e.span());
                index.delete(e.span().tableKey());
            }
        }
    }

    /** Drops queue entries whose span was decided by its span_new. */
    private void dropDecided() {
        while (!heldQueue.isEmpty() && held.get(heldQueue.peek().span()) != heldQueue.peek()) {
            heldQueue.poll();
        }
    }

    /** Kafka timestamp of the earliest record held, {@link Long#MAX_VALUE} when none. */
    public long oldestHeldMs() {
        dropDecided();
        return heldQueue.isEmpty() ? Long.MAX_VALUE : heldQueue.peek().firstProducedMs();
    }

    /** Records held, waiting for the span_new of their span. */
    public int heldRecords() {
        int n = 0;
        for (HeldSpan h : held.values()) {
            n += h.records().size();
        }
        return n;
    }

    /** @return the span of an index key, or null when the key is not one */
    private static SpanKey parse(String key) {
        String source = SourceKeys.sourceOf(key);
        Long spanId = source == null ? null : SourceKeys.spanIdOf(key, source);
        return spanId == null ? null : new SpanKey(source, spanId);
    }
}
