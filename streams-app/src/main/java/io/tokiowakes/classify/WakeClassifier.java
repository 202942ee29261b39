package io.tokiowakes.classify;

import io.tokiowakes.detect.TaskState;
import io.tokiowakes.resolve.Resolution;

/** The policy that turns a resolved waker into one of the five kinds. */
public final class WakeClassifier {

    private WakeClassifier() {
    }

    public static WakeKind classify(Resolution r, long wakeeSpanId) {
        TaskState current = r.current();
        if (current != null) {
            if (current.spanId == wakeeSpanId) {
                return WakeKind.SELF;
            }
            return current.info.isUserBlocking() ? WakeKind.BLOCKING : WakeKind.TASK;
        }
        return r.runtimeThread() ? WakeKind.RUNTIME : WakeKind.EXTERNAL;
    }
}
