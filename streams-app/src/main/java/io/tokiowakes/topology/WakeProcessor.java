package io.tokiowakes.topology;

import io.tokiowakes.detect.TaskLints;
import io.tokiowakes.emit.Output;
import io.tokiowakes.engine.SourceState;
import io.tokiowakes.engine.WakeEngine;
import io.tokiowakes.ingest.TraceRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolve, classify, detect: the per-source stage. Records of one source arrive here from every
 * input partition, interleaved in any order. They are held in an ordering buffer and handed to
 * the {@link WakeEngine} in {@code seq} order once the source's trace time has moved a window
 * past them (or the source went quiet). A record that still arrives after a later one was
 * released is counted as late and applied at once.
 */
class WakeProcessor extends ContextualProcessor<String, TraceRecord, String, Output> {

    private static final Logger LOG = LoggerFactory.getLogger(WakeProcessor.class);
    /** A stray span ID is reported once per this much trace time of its source. */
    static final long UNKNOWN_WAKE_RETENTION_NANOS = Duration.ofMinutes(10).toNanos();

    private final JobSettings settings;
    private final WakeEngine engine;
    private final JobMetrics metrics;
    private KafkaSourceStore store;
    private OrderingBuffer buffer;

    WakeProcessor(JobSettings settings, JobMetrics metrics) {
        this.settings = settings;
        this.engine = new WakeEngine(new TaskLints(settings.lints()));
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        super.init(context);
        store = new KafkaSourceStore(context);
        buffer = new OrderingBuffer(context.getStateStore(StoreNames.ORDERING_BUFFER));
        long every = Math.max(10, Math.min(100, settings.idleFlushMs() / 2));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::flushQuietSources);
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME,
                now -> store.expireUnknownWakes(UNKNOWN_WAKE_RETENTION_NANOS));
    }

    @Override
    public void process(Record<String, TraceRecord> in) {
        TraceRecord r = in.value();
        store.bind(r.source());
        SourceState s = store.source();
        long sortKey = sortKey(r);
        if (restarted(r, s)) {
            // Apply what the old process still had in the buffer, then start the source afresh.
            release(r.source(), true, in.timestamp());
            engine.restart(store);
            s = store.source();
            s.lastReleasedKey = -1;
            metrics.sourceRestart(r.source());
            LOG.warn("source {}: seq went back to {} at a later time: the process restarted; its old tasks are forgotten",
                    r.source(), r.seq());
        } else if (sortKey < s.lastReleasedKey) {
            s.late++;
            metrics.lateRecord(r.source());
            if (Long.bitCount(s.late) == 1) {
                LOG.warn("source {}: {} record(s) arrived after a later one was applied (seq {}); "
                        + "raise reorder.window.ms if this repeats", r.source(), s.late, r.seq());
            }
        }
        s.arrivals++;
        s.buffered++;
        s.arrivedNanos = Math.max(s.arrivedNanos, r.tsNanos());
        s.lastArrivalWallMs = context().currentSystemTimeMs();
        buffer.hold(r.source(), sortKey, s.arrivals, r);
        store.putSource(s);
        release(r.source(), false, in.timestamp());
        store.flush();
    }

    /** Hands the source's held records to the engine in order: those past the window, or all. */
    private void release(String source, boolean all, long timestamp) {
        SourceState s = store.bind(source).source();
        long horizon = s.arrivedNanos - settings.reorderWindowNanos();
        List<TraceRecord> ready = buffer.release(source, r -> all || r.tsNanos() <= horizon);
        if (ready.isEmpty()) {
            return;
        }
        s.buffered -= ready.size();
        for (TraceRecord r : ready) {
            s.lastReleasedKey = Math.max(s.lastReleasedKey, sortKey(r));
            engine.apply(r, store, out -> {
                metrics.output(out);
                context().forward(new Record<>(out.key(), out, timestamp));
            });
        }
        store.putSource(store.source());
    }

    private void flushQuietSources(long nowMs) {
        List<String> quiet = new ArrayList<>();
        for (Map.Entry<String, SourceState> e : store.sources().entrySet()) {
            if (e.getValue().buffered > 0 && nowMs - e.getValue().lastArrivalWallMs >= settings.idleFlushMs()) {
                quiet.add(e.getKey());
            }
        }
        for (String source : quiet) {
            release(source, true, nowMs);
        }
        store.flush();
    }

    /**
     * A record earlier in seq than one already applied, yet later in time than anything that
     * arrived: not a late record (those are older than what arrived) but a new process under the
     * same source name.
     */
    private static boolean restarted(TraceRecord r, SourceState s) {
        return r.seq() != null && r.seq() < s.lastReleasedKey && r.tsNanos() > s.arrivedNanos;
    }

    /** The order of a source's records: seq, or trace time where the producer sends no seq. */
    private static long sortKey(TraceRecord r) {
        return r.seq() != null ? r.seq() : r.tsNanos();
    }
}
