package io.tokiowakes.classify;

import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.resolve.Resolution;

import java.util.List;

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

    /**
     * A wake in input without threads (ari text) outside any task is EXTERNAL by {@link #classify}:
     * the text cannot show whether a runtime thread or a foreign one fired it. When the woken
     * task's waker sits only in timers ({@code kind = "timer"}: {@code Sleep}, {@code Interval}),
     * it was the runtime's timer driver (tokio/src/runtime/time/mod.rs fires expired entries on a
     * runtime thread), so RUNTIME. With any other resource among them it stays EXTERNAL: that
     * resource may have been woken from outside.
     *
     * @param kind    what {@link #classify} gave
     * @param waitsOn the live resources the woken task registered its waker with in its latest poll
     */
    public static WakeKind withoutThread(WakeKind kind, List<ResourceRef> waitsOn) {
        if (kind != WakeKind.EXTERNAL || waitsOn.isEmpty()) {
            return kind;
        }
        for (ResourceRef r : waitsOn) {
            if (!r.isTimer()) {
                return kind;
            }
        }
        return WakeKind.RUNTIME;
    }
}
