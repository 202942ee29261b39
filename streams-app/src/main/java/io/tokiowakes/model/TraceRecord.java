package io.tokiowakes.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One decoded trace record v1, reduced to what wake resolution uses.
 *
 * @param type       the callback
 * @param source     the emitting process; every key and piece of state is scoped by it
 * @param seq        per-source sequence number, or null when the producer sends none
 * @param tsNanos    wall-clock time of the callback
 * @param threadId   the emitting OS thread, or null when the input has no threads (ari text)
 * @param threadName its name, "" for an unnamed thread
 * @param spanId     the span of a {@code span_*} record, else null
 * @param parentId   parent span of a span_new / contextual parent of an event, or null
 * @param name       span or event name (span_new, event), else null
 * @param target     tracing target (span_new, event), else null
 * @param task       set on span_new of a {@code runtime.spawn} span
 * @param wakerOp    set on {@code tokio::task::waker} events
 * @param wakeeSpanId the woken task's span ID ({@code task.id} of a waker event)
 * @param resource   set on span_new of a {@code runtime.resource}, {@code runtime.resource.async_op}
 *                   or {@code runtime.resource.async_op.poll} span
 */
public record TraceRecord(RecordType type, String source, Long seq, long tsNanos,
                          String threadId, String threadName,
                          Long spanId, Long parentId, String name, String target,
                          TaskInfo task, WakerOp wakerOp, Long wakeeSpanId, ResourceInfo resource) {

    /** A record that is no resource span's span_new. */
    public TraceRecord(RecordType type, String source, Long seq, long tsNanos, String threadId, String threadName,
                       Long spanId, Long parentId, String name, String target, TaskInfo task, WakerOp wakerOp,
                       Long wakeeSpanId) {
        this(type, source, seq, tsNanos, threadId, threadName, spanId, parentId, name, target, task, wakerOp,
                wakeeSpanId, null);
    }

    public static final String TASK_SPAN_NAME = "runtime.spawn";
    public static final String WAKER_TARGET = "tokio::task::waker";

    @JsonIgnore
    public boolean isTaskSpanNew() {
        return task != null;
    }

    /** The span_new of a resource, async op or async op poll span (see {@link ResourceInfo}). */
    @JsonIgnore
    public boolean isResourceSpanNew() {
        return resource != null;
    }

    @JsonIgnore
    public boolean isWakerEvent() {
        return wakerOp != null;
    }

    /** The Kafka key the contract gives this record: by span, by parent span, or by thread. */
    @JsonIgnore
    public String contractKey() {
        if (type.isSpan()) {
            return SourceKeys.span(source, spanId);
        }
        if (parentId != null) {
            return SourceKeys.span(source, parentId);
        }
        return SourceKeys.rootEvent(source, threadId);
    }
}
