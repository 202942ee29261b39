package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes trace record v1 by hand, the way a Tokio process would emit it: every call is one
 * tracing callback of one source, with the next seq and a clock that advances 1 µs per record
 * unless told otherwise.
 */
public final class TraceScript {

    static final String WORKER_FN = "tokio::runtime::scheduler::multi_thread::worker::Launch::launch::{{closure}}";

    private final String source;
    private final List<String> records = new ArrayList<>();
    private long seq;
    private long ts = 1_700_000_000_000_000_000L;
    private String threadId = "ThreadId(1)";
    private String threadName = "main";
    private boolean withSeq = true;

    public TraceScript(String source) {
        this.source = source;
    }

    /** Records after this call come from that thread; null: they name no thread (as text input). */
    public TraceScript on(String id, String name) {
        threadId = id;
        threadName = name;
        return this;
    }

    public TraceScript withoutSeq() {
        withSeq = false;
        return this;
    }

    public TraceScript advanceMillis(long ms) {
        ts += ms * 1_000_000L;
        return this;
    }

    public TraceScript advanceMicros(long us) {
        ts += us * 1_000L;
        return this;
    }

    /** Trace time of the last record written. */
    long now() {
        return ts;
    }

    public TraceScript task(long spanId, String name) {
        return spawn(spanId, name, "task", null);
    }

    /** A task spawned inside another task's poll, as Tokio < 1.35 records it: the task span's parent. */
    public TraceScript taskUnder(long spanId, String name, long parentSpanId) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        f.put("kind", "task").put("task.name", name).put("task.id", spanId + 1000)
                .put("loc.file", "src/main.rs").put("loc.line", 10).put("loc.col", 5);
        return spanNew(spanId, parentSpanId, "runtime.spawn", "tokio::task", f);
    }

    public TraceScript blockOn(long spanId) {
        return spawn(spanId, "", "block_on", null);
    }

    public TraceScript blocking(long spanId, String fn) {
        return spawn(spanId, "", "blocking", fn);
    }

    public TraceScript workerSpan(long spanId) {
        return blocking(spanId, WORKER_FN);
    }

    public TraceScript spawn(long spanId, String name, String kind, String fn) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        f.put("kind", kind).put("task.name", name).put("task.id", spanId + 1000);
        if (fn != null) {
            f.put("fn", fn).put("spawn.location", "src/main.rs:1:1");
        } else {
            f.put("loc.file", "src/main.rs").put("loc.line", 10).put("loc.col", 5);
        }
        return spanNew(spanId, null, "runtime.spawn", kind.equals("blocking") ? "tokio::task::blocking" : "tokio::task", f);
    }

    /** A task span with extra fields (size.bytes, ...). */
    public TraceScript taskWith(long spanId, String name, ObjectNode extra) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        f.put("kind", "task").put("task.name", name).put("task.id", spanId + 1000)
                .put("loc.file", "src/main.rs").put("loc.line", 10).put("loc.col", 5);
        f.setAll(extra);
        return spanNew(spanId, null, "runtime.spawn", "tokio::task", f);
    }

    public TraceScript spanNew(long spanId, Long parent, String name, String target, ObjectNode fields) {
        ObjectNode r = base("span_new");
        r.put("span_id", spanId).put("name", name).put("target", target).put("level", "TRACE");
        if (parent == null) {
            r.putNull("parent_id");
        } else {
            r.put("parent_id", parent);
        }
        r.set("fields", fields == null ? Json.MAPPER.createObjectNode() : fields);
        return add(r);
    }

    /**
     * A {@code runtime.resource} span as Tokio's instrumented resources create it, made at
     * {@code src/main.rs:<line>:5}.
     *
     * @param parent its parent span (Tokio < 1.35: whatever was entered; later: null), or null
     */
    public TraceScript resource(long spanId, Long parent, String kind, String concreteType, int line) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        f.put("concrete_type", concreteType).put("kind", kind)
                .put("loc.file", "src/main.rs").put("loc.line", line).put("loc.col", 5);
        return spanNew(spanId, parent, "runtime.resource", "tokio::sync", f);
    }

    /** An internal resource (the batch semaphore of a Mutex or Semaphore): no location. */
    public TraceScript internalResource(long spanId, Long parent, String concreteType) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        f.put("concrete_type", concreteType).put("kind", "Sync").put("is_internal", true);
        return spanNew(spanId, parent, "runtime.resource", "tokio::sync::batch_semaphore", f);
    }

    /** A {@code runtime.resource.async_op} span under its resource, and its poll span under it. */
    public TraceScript asyncOp(long spanId, long resource, long pollSpanId, String source) {
        spanNew(spanId, resource, "runtime.resource.async_op", "tokio::sync",
                Json.MAPPER.createObjectNode().put("source", source));
        return spanNew(pollSpanId, spanId, "runtime.resource.async_op.poll", "tokio::sync", null);
    }

    /** A span that is not a task (user span, resource span). */
    public TraceScript span(long spanId, Long parent, String name) {
        return spanNew(spanId, parent, name, "app", null);
    }

    public TraceScript enter(long spanId) {
        return add(base("span_enter").put("span_id", spanId));
    }

    public TraceScript exit(long spanId) {
        return add(base("span_exit").put("span_id", spanId));
    }

    public TraceScript close(long spanId) {
        return add(base("span_close").put("span_id", spanId));
    }

    /** enter + exit: one poll. */
    public TraceScript poll(long spanId) {
        return enter(spanId).exit(spanId);
    }

    public TraceScript waker(String op, long wakeeSpanId, Long parent) {
        ObjectNode r = base("event");
        r.put("name", "event tokio/src/runtime/task/waker.rs:1").put("target", "tokio::task::waker").put("level", "TRACE");
        if (parent == null) {
            r.putNull("parent_id");
        } else {
            r.put("parent_id", parent);
        }
        r.set("fields", Json.MAPPER.createObjectNode().put("op", op).put("task.id", wakeeSpanId));
        return add(r);
    }

    public TraceScript wake(long wakee, Long parent) {
        return waker("waker.wake", wakee, parent);
    }

    public TraceScript wakeByRef(long wakee, Long parent) {
        return waker("waker.wake_by_ref", wakee, parent);
    }

    public TraceScript cloneWaker(long wakee, Long parent) {
        return waker("waker.clone", wakee, parent);
    }

    public TraceScript dropWaker(long wakee, Long parent) {
        return waker("waker.drop", wakee, parent);
    }

    /** A raw line, for inputs that break the contract. */
    public TraceScript raw(String line) {
        records.add(line);
        return this;
    }

    private ObjectNode base(String type) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("type", type).put("source", source);
        if (withSeq) {
            r.put("seq", seq);
        }
        seq++;
        ts += 1_000;
        r.put("ts_nanos", ts);
        if (threadId != null) {
            r.put("thread.id", threadId).put("thread.name", threadName);
        }
        return r;
    }

    private TraceScript add(ObjectNode r) {
        records.add(r.toString());
        return this;
    }

    public List<String> records() {
        return records;
    }
}
