package io.tokiowakes.topology;

import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeEdge;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the job did, shared by its stream threads; named like {@code edges.TASK}. */
public final class JobMetrics {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void output(Output out) {
        if (out instanceof WakeEdge e) {
            count("edges." + e.kind());
        } else if (out instanceof Anomaly a) {
            count("anomalies." + a.type());
        } else if (out instanceof TaskSummary) {
            count("task-summaries");
        }
    }

    void deadLetter() {
        count("dead-letters");
    }

    void lateRecord(String source) {
        count("late-records");
    }

    void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** All counters, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
