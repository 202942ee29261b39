package io.tokiowakes.ingest;

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
     * Each multi-thread worker runs inside a blocking span of its own; while only that span is
     * entered the worker is in the scheduler (driver, timers, deferred wakes), not in a task.
     */
    @JsonIgnore
    public boolean isWorkerSpan() {
        return KIND_BLOCKING.equals(kind) && fn != null && fn.contains("worker::Launch::launch");
    }

    /** A {@code spawn_blocking} closure of the application (or a library), not a worker. */
    @JsonIgnore
    public boolean isUserBlocking() {
        return KIND_BLOCKING.equals(kind) && !isWorkerSpan();
    }

    /** tokio-console's lints concern async tasks only. */
    @JsonIgnore
    public boolean isLinted() {
        return KIND_TASK.equals(kind) || KIND_LOCAL.equals(kind);
    }
}
