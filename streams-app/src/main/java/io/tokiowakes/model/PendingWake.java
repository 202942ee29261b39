package io.tokiowakes.model;


/**
 * A wake of a task whose next poll has not started yet: its wake-to-poll delay ends when the poll
 * starts (console-subscriber's scheduled time, {@code stats.rs}, measured per wake).
 *
 * @param seq     the wake record's seq, or null when the producer sends none
 * @param tsNanos the wake's trace time
 * @param kind    the wake's kind
 * @param waker   who woke it, as the wake edge names it (null when no task did)
 */
public record PendingWake(Long seq, long tsNanos, WakeKind kind, TaskRef waker) {
}
