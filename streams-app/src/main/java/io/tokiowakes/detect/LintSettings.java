package io.tokiowakes.detect;

import java.time.Duration;

/**
 * Thresholds of the lints. Defaults follow tokio-console where it has one; the settings
 * ({@code lint.*}) are read by {@code io.tokiowakes.topology.JobConfig}.
 *
 * @param externalOnlyMinWakes a live task woken this many times, all externally, is reported without waiting for close
 * @param lostWakerGraceNanos  how long (trace time) a task must look like a lost waker before it is reported
 * @param selfWakeMinWakes     self-wake dominance needs at least this many wakes
 * @param selfWakePercent      ... and more than this share of them SELF
 * @param longPollNanos        a single poll at least this long
 * @param largeFutureBytes     a future at least this large
 * @param schedulingDelayNanos woken and not polled for at least this long (trace time)
 */
public record LintSettings(long externalOnlyMinWakes, long lostWakerGraceNanos, long selfWakeMinWakes,
                           int selfWakePercent, long longPollNanos, long largeFutureBytes, long schedulingDelayNanos) {

    /**
     * A woken task not polled within 100 ms is starved, not queued: tokio-metrics calls a
     * scheduling delay long from 50 µs (1 ms in its Prometheus task families) as a share of all
     * wakes, while this is reported once per task, so it must stand for a task kept from running,
     * at the scale of a request's latency; and it is below {@code LONG_POLL}'s 1 s, so the tasks a
     * blocked worker keeps waiting show up before the blocking poll's own lint does.
     */
    public static final long DEFAULT_SCHEDULING_DELAY_MS = 100;

    public static final LintSettings DEFAULTS = new LintSettings(100, Duration.ofMillis(5).toNanos(), 10, 50,
            Duration.ofSeconds(1).toNanos(), 1024, Duration.ofMillis(DEFAULT_SCHEDULING_DELAY_MS).toNanos());

    /** The settings with the default scheduling-delay threshold. */
    public LintSettings(long externalOnlyMinWakes, long lostWakerGraceNanos, long selfWakeMinWakes,
                        int selfWakePercent, long longPollNanos, long largeFutureBytes) {
        this(externalOnlyMinWakes, lostWakerGraceNanos, selfWakeMinWakes, selfWakePercent, longPollNanos,
                largeFutureBytes, Duration.ofMillis(DEFAULT_SCHEDULING_DELAY_MS).toNanos());
    }

    public LintSettings withSchedulingDelay(Duration threshold) {
        return new LintSettings(externalOnlyMinWakes, lostWakerGraceNanos, selfWakeMinWakes, selfWakePercent,
                longPollNanos, largeFutureBytes, threshold.toNanos());
    }
}
