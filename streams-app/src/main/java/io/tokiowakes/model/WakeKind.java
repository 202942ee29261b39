package io.tokiowakes.model;

/** Where a wake came from. */
public enum WakeKind {
    /** The woken task woke itself while being polled. */
    SELF,
    /** Another async task ({@code task}, {@code local} or {@code block_on}) was being polled. */
    TASK,
    /** A {@code spawn_blocking} closure was running. */
    BLOCKING,
    /**
     * A runtime thread outside any task: timer and I/O driver, {@code yield_now}'s deferred wake,
     * coop-budget deferred wakes, a finished task's JoinHandle wake.
     */
    RUNTIME,
    /** A thread the runtime does not own: woken from outside the runtime. */
    EXTERNAL
}
