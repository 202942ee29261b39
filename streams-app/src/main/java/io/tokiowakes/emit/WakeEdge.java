package io.tokiowakes.emit;

import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.TaskRef;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokiowakes.model.WakeKind;

import java.util.List;

/**
 * One wake: who (if any task) woke whom, on {@code tokio.wake-edges}, keyed by the woken task.
 *
 * @param waker   the task that was running where the wake fired (for RUNTIME: the worker's own
 *                span when one was entered), null when none was
 * @param waitsOn the resources the woken task had registered its waker with in its latest poll
 *                (usually one; none for I/O, {@code yield_now} and hand-written futures), still
 *                live at the wake; left out of the JSON when empty
 */
public record WakeEdge(String source, Long seq, long tsNanos, String op, WakeKind kind,
                       TaskRef waker, TaskRef wakee, ThreadRef thread,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ResourceRef> waitsOn) implements Output {

    public WakeEdge {
        waitsOn = waitsOn == null ? List.of() : List.copyOf(waitsOn);
    }

    /** A wake of a task that waited on no resource the trace shows. */
    public WakeEdge(String source, Long seq, long tsNanos, String op, WakeKind kind, TaskRef waker, TaskRef wakee,
                    ThreadRef thread) {
        this(source, seq, tsNanos, op, kind, waker, wakee, thread, List.of());
    }

    @Override
    @JsonIgnore
    public String key() {
        return Output.key(source, wakee.spanId());
    }
}
