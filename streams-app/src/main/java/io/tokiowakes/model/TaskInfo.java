package io.tokiowakes.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What a {@code runtime.spawn} span says about its task when it is created.
 *
 * @param taskId    Tokio's own task ID ({@code task.id}); not the span ID, may be null
 * @param name      {@code task.name}, "" when unnamed
 * @param kind      {@code task}, {@code local}, {@code blocking} or {@code block_on}
 * @param loc       spawn location {@code file:line:col}, or null
 * @param fn        the closure type of a blocking task, or null
 * @param sizeBytes {@code size.bytes} (Tokio >= 1.41), or null
 * @param originalSizeBytes {@code original_size.bytes} when the future was auto-boxed, or null
 */
public record TaskInfo(Long taskId, String name, String kind, String loc, String fn,
                       Long sizeBytes, Long originalSizeBytes) {

    public static final String KIND_TASK = "task";
    public static final String KIND_LOCAL = "local";
    public static final String KIND_BLOCKING = "blocking";
    public static final String KIND_BLOCK_ON = "block_on";

    /**
     * A blocking task: a {@code spawn_blocking} closure, or a worker thread's own span (the
     * multi-thread runtime runs each worker loop, and block_in_place's hand-off of it, as a
     * blocking task). Which of the two a span is, only the trace shows: see
     * {@code resolve.WorkerSpans}.
     */
    @JsonIgnore
    public boolean isBlocking() {
        return KIND_BLOCKING.equals(kind);
    }

    /** An async task that a worker polls: {@code task} or {@code local} (not block_on, not blocking). */
    @JsonIgnore
    public boolean isAsync() {
        return KIND_TASK.equals(kind) || KIND_LOCAL.equals(kind);
    }

    /**
     * @return what tells blocking tasks of the same code apart from others: the closure type
     *         ({@code fn}), else the spawn location, else null
     */
    public String closure() {
        return fn != null ? fn : loc;
    }

    /** tokio-console's lints concern async tasks only. */
    @JsonIgnore
    public boolean isLinted() {
        return KIND_TASK.equals(kind) || KIND_LOCAL.equals(kind);
    }
}
