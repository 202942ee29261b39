package io.tokiowakes.topology;

import io.tokiowakes.ingest.SourceKeys;
import io.tokiowakes.ingest.TraceRecord;

import java.util.HashSet;
import java.util.Set;

/**
 * Ingest: keeps only what wake resolution needs, before anything moves between partitions.
 * Span records are keyed by their span, so one partition sees a span's whole life: an index of
 * the live task spans tells which enter/exit/close records are of tasks. Resource and user spans,
 * and events other than waker events, stop here (most of the traffic).
 */
final class TaskSpanFilter {

    private final Table<String> index;
    /** The index's keys, in memory: most records are enters and exits looked up here. */
    private final Set<String> live = new HashSet<>();

    TaskSpanFilter(Table<String> index) {
        this.index = index;
        index.forEach((key, kind) -> live.add(key));
    }

    boolean keep(TraceRecord r) {
        return switch (r.type()) {
            case SPAN_NEW -> {
                String key = spanKey(r);
                if (!r.isTaskSpanNew()) {
                    // A new span with this ID: a task span of that ID (whose close was lost) is gone.
                    if (live.remove(key)) {
                        index.delete(key);
                    }
                    yield false;
                }
                live.add(key);
                index.put(key, r.task().kind());
                yield true;
            }
            case SPAN_ENTER, SPAN_EXIT -> live.contains(spanKey(r));
            case SPAN_CLOSE -> {
                String key = spanKey(r);
                if (!live.remove(key)) {
                    yield false;
                }
                index.delete(key);
                yield true;
            }
            case SPAN_RECORD -> false;
            case EVENT -> r.isWakerEvent();
        };
    }

    private static String spanKey(TraceRecord r) {
        return SourceKeys.span(r.source(), r.spanId());
    }
}
