package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.PendingWake;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.WakeKind;

import java.util.List;
import java.util.function.Consumer;

/**
 * {@code LONG_SCHEDULING_DELAY}: a woken task waited the threshold for a worker. Seen when the
 * poll starts (a wait the source's clock had not shown yet, the poll being the first record past
 * it) or, as for a poll in progress, while the task still waits, against the source's clock: a
 * woken task has nothing to show the wait by until the poll starts.
 */
final class SchedulingDelayLint implements Lint {

    private final long thresholdNanos;

    SchedulingDelayLint(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
    }

    @Override
    public void onPollStart(TaskState t, List<PendingWake> ended, long ts, Consumer<Finding> out) {
        if (ended.isEmpty()) {
            return;
        }
        long waited = ts - ended.get(0).tsNanos();
        if (waited >= thresholdNanos) {
            Lint.report(t, new Finding(AnomalyType.LONG_SCHEDULING_DELAY, ts, "waited " + waited / 1_000_000
                    + " ms for a worker after a wake by " + wakerOf(ended.get(0)) + " before it was polled", waited), out);
        }
    }

    /** @return whether a wake that just came starts a wait to watch: the first since the latest poll */
    boolean watches(TaskState t) {
        return t.pendingWakes.size() == 1 && !t.reported.contains(AnomalyType.LONG_SCHEDULING_DELAY);
    }

    /** @return whether the watch is over (reported now, or no longer waiting) */
    boolean checkWait(TaskState t, long now, Consumer<Finding> out) {
        if (t.pendingWakes.isEmpty() || t.reported.contains(AnomalyType.LONG_SCHEDULING_DELAY)) {
            return true;
        }
        PendingWake first = t.pendingWakes.get(0);
        long waited = now - first.tsNanos();
        if (waited < thresholdNanos) {
            return false;
        }
        Lint.report(t, new Finding(AnomalyType.LONG_SCHEDULING_DELAY, now, "woken by " + wakerOf(first) + " "
                + waited / 1_000_000 + " ms ago and not polled since", waited), out);
        return true;
    }

    /** The waker as the wake graph names it, with its kind of wake and span: who the task waits after. */
    private static String wakerOf(PendingWake w) {
        TaskRef waker = w.waker();
        String who;
        if (w.kind() == WakeKind.RUNTIME) {
            who = "(runtime)";
        } else if (waker == null) {
            who = w.kind() == WakeKind.EXTERNAL ? "(external)" : "(runtime)";
        } else if (waker.name() != null && !waker.name().isEmpty()) {
            who = waker.name();
        } else {
            who = "(" + waker.kind() + ")";
        }
        return who + " (" + w.kind() + (waker == null ? "" : ", span " + Long.toUnsignedString(waker.spanId())) + ")";
    }
}
