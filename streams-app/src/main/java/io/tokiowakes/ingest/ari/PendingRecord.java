package io.tokiowakes.ingest.ari;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.model.RecordType;
import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.model.WakerOp;
import io.tokiowakes.json.Json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** One record of ari text while its lines are read: a header, context spans, then a last line. */
final class PendingRecord {

    /** Deeper nesting than this is not real span context; it keeps memory bounded. */
    static final int MAX_DEPTH = 256;

    private static final String BLOCKING_KIND = "blocking";

    private final long line;
    private final String headerText;
    private final AriLines.Header header;
    private final List<ContextLine.Span> context = new ArrayList<>();
    private ContextLine last;
    private ObjectNode fields;

    PendingRecord(long line, String headerText, AriLines.Header header) {
        this.line = line;
        this.headerText = headerText;
        this.header = header;
    }

    long line() {
        return line;
    }

    String headerText() {
        return headerText;
    }

    boolean complete() {
        return last != null;
    }

    void add(ContextLine c) throws AriParseException {
        if (c instanceof ContextLine.Span s && s.lifecycle() == null) {
            if (context.size() == MAX_DEPTH) {
                throw new AriParseException("more than " + MAX_DEPTH + " nested spans");
            }
            context.add(s);
        } else if (c instanceof ContextLine.Span s) {
            // A span's fields repeat on every line; only span_new carries them.
            fields = s.lifecycle() == Lifecycle.NEW ? AriFields.span(s.fields()) : null;
            last = c;
        } else {
            fields = AriFields.event(((ContextLine.Event) c).text());
            last = c;
        }
    }

    /** The trace record v1 JSON object of a complete record. */
    ObjectNode toJson(String source, long seq) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (last instanceof ContextLine.Span span) {
            o.put("type", span.lifecycle().type.wire());
            common(o, source, seq);
            putU64(o, "span_id", span.id());
            if (span.lifecycle() == Lifecycle.NEW) {
                putParent(o, context.isEmpty() ? null : context.get(context.size() - 1).id());
                o.put("name", span.name());
                String target = spanTarget(span.name(), fields);
                if (target != null) {
                    o.put("target", target);
                }
                o.put("level", header.level());
                o.set("fields", fields);
            } else {
                o.put("level", header.level());
            }
        } else {
            ContextLine.Event event = (ContextLine.Event) last;
            o.put("type", RecordType.EVENT.wire());
            common(o, source, seq);
            putParent(o, isWakerClone(event) ? innermostTaskOrResource() : innermostTask());
            o.put("name", "event");
            o.put("target", event.target());
            o.put("level", header.level());
            o.set("fields", fields);
        }
        return o;
    }

    private void common(ObjectNode o, String source, long seq) {
        o.put("source", source);
        o.put("seq", seq);
        o.put("ts_nanos", header.tsNanos());
    }

    /**
     * The text has no threads, so an event's task is the innermost task span around it; other
     * spans (resources, user spans) in between do not change which task is running.
     */
    private Long innermostTask() {
        for (int i = context.size() - 1; i >= 0; i--) {
            if (TraceRecord.TASK_SPAN_NAME.equals(context.get(i).name())) {
                return context.get(i).id();
            }
        }
        return null;
    }

    /**
     * A waker clone inside a resource's span is the task registering with that resource (see
     * {@code resolve.WaitsOn}): its parent is the innermost resource span, when one is inside the
     * innermost task span. Clones need no current task: the woken task is in their fields.
     */
    private Long innermostTaskOrResource() {
        for (int i = context.size() - 1; i >= 0; i--) {
            String name = context.get(i).name();
            if (TraceRecord.TASK_SPAN_NAME.equals(name) || ResourceInfo.roleOf(name) != null) {
                return context.get(i).id();
            }
        }
        return null;
    }

    private boolean isWakerClone(ContextLine.Event event) {
        return TraceRecord.WAKER_TARGET.equals(event.target()) && fields != null
                && WakerOp.CLONE.wire().equals(fields.path("op").asText(null));
    }

    /** ari prints no span targets; a task span's target follows from its kind. */
    private static String spanTarget(String name, ObjectNode fields) {
        if (!TraceRecord.TASK_SPAN_NAME.equals(name)) {
            return null;
        }
        return BLOCKING_KIND.equals(fields.path("kind").asText()) ? "tokio::task::blocking" : "tokio::task";
    }

    private static void putParent(ObjectNode o, Long id) {
        if (id == null) {
            o.putNull("parent_id");
        } else {
            putU64(o, "parent_id", id);
        }
    }

    /** Span IDs are u64 kept in a long; JSON gets the unsigned value. */
    private static void putU64(ObjectNode o, String key, long v) {
        if (v >= 0) {
            o.put(key, v);
        } else {
            o.put(key, new BigInteger(Long.toUnsignedString(v)));
        }
    }
}
