package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;

import java.util.function.Consumer;

/**
 * {@code LONG_POLL}: a poll that lasted the threshold (trace time), once it ended or, as
 * tokio-console's never-yielded lint measures the poll in progress against "now", while it still
 * runs, against the source's clock: a poll that never returns is what users most need to see.
 */
final class LongPollLint implements Lint {

    private final long thresholdNanos;

    LongPollLint(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
    }

    @Override
    public void onPollEnd(TaskState t, long ts, Consumer<Finding> out) {
        if (t.lastPollNanos >= thresholdNanos) {
            Lint.report(t, new Finding(AnomalyType.LONG_POLL, ts,
                    "one poll ran " + t.lastPollNanos / 1_000_000 + " ms without yielding", t.lastPollNanos), out);
        }
    }

    /** @return whether a poll that just started must be watched: not yet reported */
    boolean watches(TaskState t) {
        return !t.reported.contains(AnomalyType.LONG_POLL);
    }

    /** @return whether the watch is over: reported now, or the task is no longer in a poll */
    boolean checkInProgress(TaskState t, long now, Consumer<Finding> out) {
        if (t.running == 0 || t.reported.contains(AnomalyType.LONG_POLL)) {
            return true;
        }
        long elapsed = now - t.pollStartNanos;
        if (elapsed < thresholdNanos) {
            return false;
        }
        Lint.report(t, new Finding(AnomalyType.LONG_POLL, now, "one poll has run " + elapsed / 1_000_000
                + " ms without yielding and has not returned yet", elapsed), out);
        return true;
    }
}
