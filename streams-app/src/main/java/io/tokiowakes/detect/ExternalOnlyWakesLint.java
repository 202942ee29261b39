package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.WakeKind;

import java.util.function.Consumer;

/**
 * {@code EXTERNAL_ONLY_WAKES}: every wake of the task came from outside the runtime. Checked at
 * close, and after each wake once there are enough: a long-lived task need not close to be called
 * external-only.
 */
final class ExternalOnlyWakesLint implements Lint {

    private final long minWakes;

    ExternalOnlyWakesLint(long minWakes) {
        this.minWakes = minWakes;
    }

    @Override
    public void onWake(TaskState t, long ts, Consumer<Finding> out) {
        if (t.wakes() >= minWakes && externalOnly(t)) {
            Lint.report(t, finding(t, ts), out);
        }
    }

    @Override
    public void onClose(TaskState t, long ts, Consumer<Finding> out) {
        if (externalOnly(t)) {
            Lint.report(t, finding(t, ts), out);
        }
    }

    private static boolean externalOnly(TaskState t) {
        return t.wakes() > 0 && t.wakes(WakeKind.EXTERNAL) == t.wakes();
    }

    /**
     * With threads, an EXTERNAL wake came from a thread that never polled a task. Without them
     * (text input), only from outside any task: a timer or I/O driver wake looks the same, so the
     * finding says what it rests on instead of stating it as fact.
     */
    private static Finding finding(TaskState t, long ts) {
        long wakes = t.wakes();
        String detail;
        if (t.externalWakesWithoutThread == 0) {
            detail = "all " + wakes + " wakes came from outside the runtime";
        } else {
            detail = "all " + wakes + " wakes came from outside any task; "
                    + (t.externalWakesWithoutThread == wakes ? "the trace names no threads"
                    : t.externalWakesWithoutThread + " of them in records that name no thread")
                    + ", so a timer or I/O driver wake cannot be told from a wake by a thread outside the runtime";
        }
        return new Finding(AnomalyType.EXTERNAL_ONLY_WAKES, ts, detail, wakes);
    }
}
