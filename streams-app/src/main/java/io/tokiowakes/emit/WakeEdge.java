package io.tokiowakes.emit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tokiowakes.classify.WakeKind;

/**
 * One wake: who (if any task) woke whom, on {@code tokio.wake-edges}, keyed by the woken task.
 *
 * @param waker the task that was running where the wake fired (for RUNTIME: the worker's own
 *              span when one was entered), null when none was
 */
public record WakeEdge(String source, Long seq, long tsNanos, String op, WakeKind kind,
                       TaskRef waker, TaskRef wakee, ThreadRef thread) implements Output {

    @Override
    @JsonIgnore
    public String key() {
        return Output.key(source, wakee.spanId());
    }
}
