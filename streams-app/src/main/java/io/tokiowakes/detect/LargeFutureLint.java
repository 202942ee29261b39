package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;

import java.util.function.Consumer;

/**
 * {@code LARGE_FUTURE} at spawn: {@code size.bytes} alone reaches the threshold. What sits in the
 * task's memory (and is moved on spawn) is size.bytes: an auto-boxed future is a pointer there, so
 * only {@code AUTO_BOXED_FUTURE} speaks of its original size (tokio-console's large-future lint
 * reads size.bytes alone).
 */
final class LargeFutureLint implements Lint {

    private final long thresholdBytes;

    LargeFutureLint(long thresholdBytes) {
        this.thresholdBytes = thresholdBytes;
    }

    @Override
    public void onSpawn(TaskState t, long ts, Consumer<Finding> out) {
        Long size = t.info.sizeBytes();
        if (size != null && size >= thresholdBytes) {
            Lint.report(t, new Finding(AnomalyType.LARGE_FUTURE, ts,
                    "future is " + size + " bytes (>= " + thresholdBytes + ")", size), out);
        }
    }
}
