package io.tokiowakes.resolve;

import io.tokiowakes.model.ResourceSpan;
import io.tokiowakes.model.ResourceRef;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a task's waker sits. Tokio's instrumented resources clone the waker of the task polling
 * them inside their spans (tokio/src/util/trace.rs: an async op's poll span is entered around the
 * resource's poll; tokio/src/time/sleep.rs, tokio/src/sync/batch_semaphore.rs, oneshot.rs ...), so
 * a {@code waker.clone} whose parent chain reaches a {@code runtime.resource} span registered the
 * task with that resource, as console-subscriber ties async ops to their resources. The chain is
 * {@code async_op.poll -> async_op -> resource}; in Tokio < 1.35 it goes on to the task that made
 * the resource, which is not followed.
 */
public final class WaitsOn {

    /** Parent links followed at most: Tokio nests resource spans two or three deep. */
    static final int MAX_HOPS = 16;

    private WaitsOn() {
    }

    /**
     * @param parentId  a waker event's parent span, or null for a root event
     * @param resources the source's live resource spans
     * @return the resource the event's waker was registered with: the innermost {@code runtime.resource}
     *         on the chain, or, for an internal one ({@code is_internal}, e.g. the semaphore inside a
     *         {@code Mutex}), the resource it belongs to where the trace shows it; 0 when the chain reaches
     *         no live resource (a task, a user span, a span not seen)
     */
    public static long resourceOf(Long parentId, LiveResources resources) {
        if (parentId == null) {
            return 0;
        }
        long id = parentId;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            ResourceSpan span = resources.resource(id);
            if (span == null) {
                return 0;
            }
            if (span.info.isResource()) {
                return outerOfInternal(span, resources);
            }
            id = span.parentId;
        }
        return 0;
    }

    /** An internal resource stands for its parent resource, when it has one (Tokio < 1.35 records it). */
    private static long outerOfInternal(ResourceSpan span, LiveResources resources) {
        for (int hop = 0; hop < MAX_HOPS && span.info.internal(); hop++) {
            ResourceSpan parent = resources.resource(span.parentId);
            if (parent == null || !parent.info.isResource()) {
                break;
            }
            span = parent;
        }
        return span.spanId;
    }

    /**
     * @param registered resource span IDs a task registered its waker with ({@link io.tokiowakes.model.TaskState#waitsOn})
     * @return those still live, as outputs name them; a resource that closed can no longer wake the task
     */
    public static List<ResourceRef> refs(long[] registered, LiveResources resources) {
        if (registered.length == 0) {
            return List.of();
        }
        List<ResourceRef> out = new ArrayList<>(registered.length);
        for (long id : registered) {
            ResourceSpan r = resources.resource(id);
            if (r != null) {
                out.add(ResourceRef.of(r));
            }
        }
        return out;
    }
}
