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
 */
public record LintSettings(long externalOnlyMinWakes, long lostWakerGraceNanos, long selfWakeMinWakes,
                           int selfWakePercent, long longPollNanos, long largeFutureBytes) {

    public static final LintSettings DEFAULTS = new LintSettings(100, Duration.ofMillis(5).toNanos(), 10, 50,
            Duration.ofSeconds(1).toNanos(), 1024);
}
