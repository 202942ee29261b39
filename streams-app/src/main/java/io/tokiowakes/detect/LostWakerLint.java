package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;

import java.util.function.Consumer;

/**
 * {@code LOST_WAKER} (console-subscriber's lost-waker: idle, not scheduled, no waker left) after a
 * grace period: a task that returned Ready looks lost until its close arrives. A task with child
 * task spans still open cannot be told from a finished one at all: tracing's registry closes its
 * span only after theirs (Tokio < 1.35, where a task span is the parent of the tasks spawned in
 * it), so the watch starts when its last child has closed.
 */
final class LostWakerLint implements Lint {

    private final long graceNanos;

    LostWakerLint(long graceNanos) {
        this.graceNanos = graceNanos;
    }

    /** Keeps the task's watch current after anything changed it. */
    void updateWatch(TaskState t, boolean linted, long ts) {
        boolean looksLost = linted && t.idle() && !t.scheduled && t.outstandingWakers() <= 0
                && t.liveChildren <= 0 && !t.reported.contains(AnomalyType.LOST_WAKER);
        if (!looksLost) {
            t.lostWakerSinceNanos = -1;
        } else if (t.lostWakerSinceNanos < 0) {
            t.lostWakerSinceNanos = ts;
        }
    }

    /** @return whether the watch is over: reported now, or no longer watched */
    boolean check(TaskState t, long now, Consumer<Finding> out) {
        if (t.lostWakerSinceNanos < 0) {
            return true;
        }
        if (now - t.lostWakerSinceNanos < graceNanos) {
            return false;
        }
        Lint.report(t, new Finding(AnomalyType.LOST_WAKER, now,
                "idle with no waker for " + (now - t.lostWakerSinceNanos) / 1_000_000 + " ms: nothing can wake it",
                null), out);
        t.lostWakerSinceNanos = -1;
        return true;
    }
}
