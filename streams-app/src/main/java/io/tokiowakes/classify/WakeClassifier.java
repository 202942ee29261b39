package io.tokiowakes.classify;

import io.tokiowakes.detect.TaskState;
import io.tokiowakes.resolve.Resolution;

/** The policy that turns a resolved waker into one of the five kinds. */
public final class WakeClassifier {

    private WakeClassifier() {
    }

    /**
     * @param r           who was running where the wake fired ({@link io.tokiowakes.resolve.WakerResolver})
     * @param wakeeSpanId the woken task's span ID
     * @return SELF, TASK or BLOCKING when a task was current (a worker thread's own span is
     *         never current: the resolver sets it apart), else RUNTIME on a runtime thread and
     *         EXTERNAL elsewhere
     */
    public static WakeKind classify(Resolution r, long wakeeSpanId) {
        TaskState current = r.current();
        if (current != null) {
            if (current.spanId == wakeeSpanId) {
                return WakeKind.SELF;
            }
            return current.info.isBlocking() ? WakeKind.BLOCKING : WakeKind.TASK;
        }
        return r.runtimeThread() ? WakeKind.RUNTIME : WakeKind.EXTERNAL;
    }
}
