package io.tokiowakes.model;

/** Anomalies reported on {@code tokio.anomalies}, at most once per task. */
public enum AnomalyType {
    /** Woken at least once and only ever from outside the runtime. */
    EXTERNAL_ONLY_WAKES,
    /** Idle, not scheduled, no waker left to wake it, not closed: it can never run again. */
    LOST_WAKER,
    /** More than the threshold share of its wakes were self-wakes (tokio-console's self-wakes lint). */
    SELF_WAKE_DOMINANT,
    /** A wake names a span ID that is not a live task. */
    WAKE_OF_UNKNOWN_TASK,
    /** One poll kept its thread busy for longer than the threshold (tokio-console's never-yielded). */
    LONG_POLL,
    /** The future is larger than the threshold (tokio-console's large-future). */
    LARGE_FUTURE,
    /** Tokio boxed the future because it was too large for the stack (tokio-console's auto-boxed-future). */
    AUTO_BOXED_FUTURE,
    /**
     * Woken and not polled for longer than the threshold: starved of a worker (tokio-metrics'
     * long scheduling delay, {@code TaskMonitor}'s {@code long_delay_threshold}, as a lint).
     */
    LONG_SCHEDULING_DELAY
}
