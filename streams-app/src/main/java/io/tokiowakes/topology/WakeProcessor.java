package io.tokiowakes.topology;

import io.tokiowakes.detect.TaskLints;
import io.tokiowakes.emit.Output;
import io.tokiowakes.engine.SourceState;
import io.tokiowakes.engine.WakeEngine;
import io.tokiowakes.ingest.TraceRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolve, classify, detect: the per-source stage. Records of one source arrive here from every
 * input partition, interleaved in any order. They are held in an ordering buffer and handed to
 * the {@link WakeEngine} in {@code seq} order once the source's trace time has moved a window
 * past them (or the source went quiet). A record that still arrives after a later one was
 * released is counted as late and applied at once.
 */
class WakeProcessor extends ContextualProcessor<String, TraceRecord, String, Output> {

    private static final Logger LOG = LoggerFactory.getLogger(WakeProcessor.class);

    private final JobSettings settings;
    private final WakeEngine engine;
    private final JobMetrics metrics;
    private KafkaSourceStore store;
    private KeyValueStore<String, TraceRecord> buffer;
    private KeyValueStore<String, SourceState> sources;

    WakeProcessor(JobSettings settings, JobMetrics metrics) {
        this.settings = settings;
        this.engine = new WakeEngine(new TaskLints(settings.lints()));
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        super.init(context);
        store = new KafkaSourceStore(context);
        buffer = context.getStateStore(StoreNames.ORDERING_BUFFER);
        sources = context.getStateStore(StoreNames.SOURCES);
        long every = Math.max(10, Math.min(100, settings.idleFlushMs() / 2));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::flushQuietSources);
    }

    @Override
    public void process(Record<String, TraceRecord> in) {
        TraceRecord r = in.value();
        store.bind(r.source());
        SourceState s = store.source();
        long sortKey = sortKey(r);
        if (sortKey < s.lastReleasedKey) {
            s.late++;
            metrics.lateRecord(r.source());
            if (s.late == 1 || Long.bitCount(s.late) == 1) {
                LOG.warn("source {}: {} record(s) arrived after a later one was applied (seq {}); "
                        + "raise reorder.window.ms if this repeats", r.source(), s.late, r.seq());
            }
        }
        s.arrivals++;
        s.buffered++;
        s.arrivedNanos = Math.max(s.arrivedNanos, r.tsNanos());
        s.lastArrivalWallMs = context().currentSystemTimeMs();
        buffer.put(bufferKey(r.source(), sortKey, s.arrivals), r);
        store.putSource(s);
        release(r.source(), false, in.timestamp());
    }

    /** Hands the source's held records to the engine in order: those past the window, or all. */
    private void release(String source, boolean all, long timestamp) {
        SourceState s = store.bind(source).source();
        long horizon = s.arrivedNanos - settings.reorderWindowNanos();
        List<KeyValue<String, TraceRecord>> ready = new ArrayList<>();
        try (KeyValueIterator<String, TraceRecord> it = buffer.range(source + FROM, source + TO)) {
            while (it.hasNext()) {
                KeyValue<String, TraceRecord> kv = it.next();
                if (!all && kv.value.tsNanos() > horizon) {
                    break;
                }
                ready.add(kv);
            }
        }
        for (KeyValue<String, TraceRecord> kv : ready) {
            buffer.delete(kv.key);
            s = store.source();
            s.buffered--;
            s.lastReleasedKey = Math.max(s.lastReleasedKey, sortKey(kv.value));
            store.putSource(s);
            engine.apply(kv.value, store, out -> {
                metrics.output(out);
                context().forward(new Record<>(out.key(), out, timestamp));
            });
        }
    }

    private void flushQuietSources(long nowMs) {
        List<String> quiet = new ArrayList<>();
        store.unbind();
        try (KeyValueIterator<String, SourceState> it = sources.all()) {
            while (it.hasNext()) {
                KeyValue<String, SourceState> kv = it.next();
                if (kv.value.buffered > 0 && nowMs - kv.value.lastArrivalWallMs >= settings.idleFlushMs()) {
                    quiet.add(kv.key);
                }
            }
        }
        for (String source : quiet) {
            release(source, true, nowMs);
        }
    }

    // Buffer keys: source, a separator below every printable character, then fixed-width hex,
    // so that a byte-ordered range scan of one source yields its records in sort-key order.
    private static final String FROM = "\u0001";
    private static final String TO = "\u0002";

    private static String bufferKey(String source, long sortKey, long arrival) {
        return source + FROM + String.format("%016x%016x", sortKey, arrival);
    }

    /** The order of a source's records: seq, or trace time where the producer sends no seq. */
    private static long sortKey(TraceRecord r) {
        return r.seq() != null ? r.seq() : r.tsNanos();
    }
}
