package io.tokiowakes.topology;

import io.tokiowakes.ingest.TraceRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashSet;
import java.util.Set;

/**
 * Ingest: keeps only what wake resolution needs, before anything moves between partitions.
 * Span records are keyed by their span, so one partition sees a span's whole life: an index of
 * the live task spans tells which enter/exit/close records are of tasks. Resource and user spans,
 * and events other than waker events, stop here (most of the traffic).
 * What passes is re-keyed by source, so that one source's records meet in one place.
 */
class TaskSpanFilterProcessor extends ContextualProcessor<String, TraceRecord, String, TraceRecord> {

    static final String STORE = "task-span-index";

    private KeyValueStore<String, String> liveTaskSpans;
    /** The store's keys, in memory: most records are enters and exits looked up here. */
    private final Set<String> live = new HashSet<>();

    @Override
    public void init(ProcessorContext<String, TraceRecord> context) {
        super.init(context);
        liveTaskSpans = context.getStateStore(STORE);
        live.clear();
        try (KeyValueIterator<String, String> it = liveTaskSpans.all()) {
            it.forEachRemaining(kv -> live.add(kv.key));
        }
    }

    @Override
    public void process(Record<String, TraceRecord> in) {
        TraceRecord r = in.value();
        if (keep(r)) {
            context().forward(in.withKey(r.source()));
        }
    }

    private boolean keep(TraceRecord r) {
        return switch (r.type()) {
            case SPAN_NEW -> {
                if (!r.isTaskSpanNew()) {
                    // A new span with this ID: a task span of that ID (whose close was lost) is gone.
                    String key = spanKey(r);
                    if (live.remove(key)) {
                        liveTaskSpans.delete(key);
                    }
                    yield false;
                }
                String key = spanKey(r);
                live.add(key);
                liveTaskSpans.put(key, r.task().kind());
                yield true;
            }
            case SPAN_ENTER, SPAN_EXIT -> live.contains(spanKey(r));
            case SPAN_CLOSE -> {
                String key = spanKey(r);
                if (!live.remove(key)) {
                    yield false;
                }
                liveTaskSpans.delete(key);
                yield true;
            }
            case SPAN_RECORD -> false;
            case EVENT -> r.isWakerEvent();
        };
    }

    private static String spanKey(TraceRecord r) {
        return r.source() + "/" + r.spanId();
    }
}
