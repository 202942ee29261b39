package io.tokiowakes.topology;

import io.tokiowakes.ingest.TraceRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import org.apache.kafka.streams.processor.PunctuationType;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Ingest: keeps only what wake resolution needs, before anything moves between partitions.
 * Span records are keyed by their span, so one partition sees a span's whole life: an index of
 * the live task spans tells which enter/exit/close records are of tasks. Resource and user spans,
 * and events other than waker events, stop here (most of the traffic).
 * What passes is re-keyed by source, so that one source's records meet in one place.
 */
class TaskSpanFilterProcessor extends ContextualProcessor<String, TraceRecord, String, Staged> {

    static final String STORE = "task-span-index";

    private final InputProgress progress;
    private int partition;
    /** Highest Kafka timestamp read from this partition: the partition is read up to there. */
    private long readUpTo = Long.MIN_VALUE;

    TaskSpanFilterProcessor(InputProgress progress) {
        this.progress = progress;
    }

    private KeyValueStore<String, String> liveTaskSpans;
    /** The store's keys, in memory: most records are enters and exits looked up here. */
    private final Set<String> live = new HashSet<>();

    @Override
    public void init(ProcessorContext<String, Staged> context) {
        super.init(context);
        partition = context.taskId().partition();
        readUpTo = Long.MIN_VALUE;
        context.schedule(Duration.ofMillis(HEARTBEAT_MS), PunctuationType.WALL_CLOCK_TIME, this::heartbeat);
        liveTaskSpans = context.getStateStore(STORE);
        live.clear();
        try (KeyValueIterator<String, String> it = liveTaskSpans.all()) {
            it.forEachRemaining(kv -> live.add(kv.key));
        }
    }

    static final long HEARTBEAT_MS = 100;

    @Override
    public void process(Record<String, TraceRecord> in) {
        readUpTo = Math.max(readUpTo, in.timestamp());
        TraceRecord r = in.value();
        if (keep(r)) {
            context().forward(new Record<>(r.source(), new Staged(r, partition, readUpTo), in.timestamp(), in.headers()));
        }
    }

    /**
     * Tells every wake-stage partition how far this input partition has been read, so that they
     * can release what no record still unread here can precede: as far as its records go, or
     * further once it is known to be read to the end of its log.
     */
    private void heartbeat(long nowMs) {
        readUpTo = Math.max(readUpTo, progress.readUpTo(partition));
        context().forward(new Record<>(HEARTBEAT_KEY, new Staged(null, partition, readUpTo), nowMs));
    }

    private static final String HEARTBEAT_KEY = "";

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
