package io.tokiowakes.detect;

import java.time.Duration;
import java.util.Properties;

/**
 * Thresholds of the lints. Defaults follow tokio-console where it has one.
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

    public static LintSettings from(Properties p) {
        return new LintSettings(
                Long.parseLong(p.getProperty("lint.external-only.min-wakes", String.valueOf(DEFAULTS.externalOnlyMinWakes))),
                Duration.ofMillis(Long.parseLong(p.getProperty("lint.lost-waker.grace-ms",
                        String.valueOf(Duration.ofNanos(DEFAULTS.lostWakerGraceNanos).toMillis())))).toNanos(),
                Long.parseLong(p.getProperty("lint.self-wake.min-wakes", String.valueOf(DEFAULTS.selfWakeMinWakes))),
                Integer.parseInt(p.getProperty("lint.self-wake.percent", String.valueOf(DEFAULTS.selfWakePercent))),
                Duration.ofMillis(Long.parseLong(p.getProperty("lint.long-poll.ms",
                        String.valueOf(Duration.ofNanos(DEFAULTS.longPollNanos).toMillis())))).toNanos(),
                Long.parseLong(p.getProperty("lint.large-future.bytes", String.valueOf(DEFAULTS.largeFutureBytes))));
    }
}
