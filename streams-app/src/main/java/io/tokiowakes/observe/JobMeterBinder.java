package io.tokiowakes.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tokiowakes.engine.JobMetrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job's own counters as Micrometer counters. {@link JobMetrics} stays free of Micrometer and
 * cheap on the hot path; series that appear later (a new source, a new anomaly type) are
 * registered on {@link #refresh()}, before each scrape.
 */
public final class JobMeterBinder implements MeterBinder {

    static final String RECORDS_IN = "tokio.wakes.records.in";
    static final String EDGES = "tokio.wakes.edges";
    static final String ANOMALIES = "tokio.wakes.anomalies";
    static final String LATE = "tokio.wakes.late.records";
    static final String SOURCE_RESTARTS = "tokio.wakes.source.restarts";
    static final String SUMMARIES = "tokio.wakes.task.summaries";
    static final String DEAD_LETTERS = "tokio.wakes.dead.letters";

    private final JobMetrics metrics;
    private final Set<JobMetrics.Series> bound = ConcurrentHashMap.newKeySet();
    private MeterRegistry registry;

    public JobMeterBinder(JobMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String type : metrics.recordsIn().keySet()) {
            FunctionCounter.builder(RECORDS_IN, metrics, m -> m.recordsIn().getOrDefault(type, 0L))
                    .description("valid trace records read, by type").tag("type", type).register(registry);
        }
        FunctionCounter.builder(SUMMARIES, metrics, m -> m.get("task-summaries"))
                .description("tasks closed (task summaries written)").register(registry);
        FunctionCounter.builder(DEAD_LETTERS, metrics, m -> m.get("dead-letters"))
                .description("invalid input records sent to the dead-letter topic").register(registry);
        refresh();
    }

    /** Registers the per-source series that appeared since the last call. */
    public void refresh() {
        if (registry == null) {
            return;
        }
        for (Map.Entry<JobMetrics.Series, Long> e : metrics.series().entrySet()) {
            JobMetrics.Series s = e.getKey();
            if (!bound.add(s)) {
                continue;
            }
            Tags tags = Tags.of("source", s.source());
            String name;
            String description;
            switch (s.name()) {
                case "edges" -> {
                    name = EDGES;
                    tags = tags.and("kind", s.detail());
                    description = "wake edges written, by source and kind";
                }
                case "anomalies" -> {
                    name = ANOMALIES;
                    tags = tags.and("type", s.detail());
                    description = "anomalies written, by source and type";
                }
                case "late-records" -> {
                    name = LATE;
                    description = "records that arrived after a later one was applied (past reorder.window.ms)";
                }
                case "source-restarts" -> {
                    name = SOURCE_RESTARTS;
                    description = "restarts of a source's process seen (seq started over later in trace time)";
                }
                default -> {
                    continue;
                }
            }
            FunctionCounter.builder(name, metrics, m -> m.series().getOrDefault(s, 0L))
                    .description(description).tags(tags).register(registry);
        }
    }
}
