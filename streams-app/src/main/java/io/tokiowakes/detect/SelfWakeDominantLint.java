package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.WakeKind;

import java.util.function.Consumer;

/** {@code SELF_WAKE_DOMINANT} at close: more than the given share of enough wakes were self-wakes. */
final class SelfWakeDominantLint implements Lint {

    private final long minWakes;
    private final int percent;

    SelfWakeDominantLint(long minWakes, int percent) {
        this.minWakes = minWakes;
        this.percent = percent;
    }

    @Override
    public void onClose(TaskState t, long ts, Consumer<Finding> out) {
        long wakes = t.wakes();
        long self = t.wakes(WakeKind.SELF);
        if (wakes >= minWakes && self * 100 > wakes * percent) {
            Lint.report(t, new Finding(AnomalyType.SELF_WAKE_DOMINANT, ts,
                    self + " of " + wakes + " wakes were self-wakes", wakes), out);
        }
    }
}
