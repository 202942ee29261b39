package io.tokiowakes.engine;

import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.RecordType;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the job did, shared by its stream threads; named like {@code edges.TASK}.
 * Counters that alerting needs per source are also kept as {@link Series}.
 */
public final class JobMetrics {

    /** A counter per source: {@code name} with an optional detail (anomaly type, edge kind). */
    public record Series(String name, String source, String detail) {
    }

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<Series, LongAdder> series = new ConcurrentHashMap<>();
    // Counted for every input record: an array, not a map lookup.
    private final LongAdder[] recordsIn = new LongAdder[RecordType.values().length];

    public JobMetrics() {
        for (int i = 0; i < recordsIn.length; i++) {
            recordsIn[i] = new LongAdder();
        }
    }

    public void output(Output out) {
        if (out instanceof WakeEdge e) {
            count("edges." + e.kind());
            count(new Series("edges", e.source(), e.kind().name()));
        } else if (out instanceof Anomaly a) {
            count("anomalies." + a.type());
            count(new Series("anomalies", a.source(), a.type().name()));
        } else if (out instanceof TaskSummary) {
            count("task-summaries");
        } else if (out instanceof WakeDelay) {
            count("wake-delays");
        }
    }

    public void recordIn(RecordType type) {
        recordsIn[type.ordinal()].increment();
    }

    public void deadLetter() {
        count("dead-letters");
    }

    void sourceRestart(String source) {
        count("source-restarts");
        count(new Series("source-restarts", source, null));
    }

    void lateRecord(String source) {
        count("late-records");
        count(new Series("late-records", source, null));
    }

    private void count(Series s) {
        series.computeIfAbsent(s, k -> new LongAdder()).increment();
    }

    /** The per-source counters. */
    public Map<Series, Long> series() {
        Map<Series, Long> m = new java.util.HashMap<>();
        series.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Valid input records by {@code type} (wire name). */
    public Map<String, Long> recordsIn() {
        Map<String, Long> m = new TreeMap<>();
        for (RecordType t : RecordType.values()) {
            m.put(t.wire(), recordsIn[t.ordinal()].sum());
        }
        return m;
    }

    void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** @return the wake edges counted in a snapshot of counters: its {@code edges.<kind>} summed */
    public static long edges(Map<String, Long> counters) {
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith("edges."))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** All counters, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
