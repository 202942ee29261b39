package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;

import java.util.function.Consumer;

/**
 * {@code AUTO_BOXED_FUTURE} at spawn (Tokio >= 1.41): {@code original_size.bytes} is present and
 * differs from {@code size.bytes}, so Tokio boxed the future.
 */
final class AutoBoxedFutureLint implements Lint {

    @Override
    public void onSpawn(TaskState t, long ts, Consumer<Finding> out) {
        Long size = t.info.sizeBytes();
        Long original = t.info.originalSizeBytes();
        if (original != null && !original.equals(size)) {
            Lint.report(t, new Finding(AnomalyType.AUTO_BOXED_FUTURE, ts,
                    "future of " + original + " bytes was auto-boxed (" + size + " bytes on the stack)", original), out);
        }
    }
}
