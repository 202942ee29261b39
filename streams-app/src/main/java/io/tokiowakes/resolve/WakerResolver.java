package io.tokiowakes.resolve;

import io.tokiowakes.model.ThreadState;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.TraceRecord;

import java.util.Set;

/**
 * Finds the waking task of a waker event: the task being polled on the emitting thread, i.e.
 * the innermost task span on that thread's stack of entered spans (as tokio-console decides
 * self-wakes). The event's parent chain is not used for this: from Tokio 1.35 task and resource
 * spans are roots, user spans sit between event and task, and in older Tokio resource spans
 * hang under whoever created the resource.
 */
public final class WakerResolver {

    private WakerResolver() {
    }

    /**
     * @param event          a waker event
     * @param thread         the emitting thread's state, or null when the record names no thread
     * @param tasks          the source's live tasks
     * @param workerClosures closure types known to run the worker loop ({@link WorkerSpans})
     * @return the current task, or the worker's own span when only that was entered
     */
    public static Resolution resolve(TraceRecord event, ThreadState thread, LiveTasks tasks,
                                     Set<String> workerClosures) {
        if (thread == null) {
            return resolveWithoutThread(event, tasks, workerClosures);
        }
        TaskState worker = null;
        for (int i = thread.entered.size() - 1; i >= 0; i--) {
            TaskState t = tasks.get(thread.entered.get(i));
            if (t == null) {
                continue;
            }
            if (WorkerSpans.isWorkerSpan(t, workerClosures)) {
                // The worker's span is the bottom of the stack: in the scheduler, not in a task.
                worker = t;
                continue;
            }
            return new Resolution(t, null, true);
        }
        return new Resolution(null, worker, thread.runtime);
    }

    /**
     * Inputs without threads (ari-subscriber text) show the span context of each event: its
     * innermost task span is the current task, and a root event came from outside the runtime.
     */
    private static Resolution resolveWithoutThread(TraceRecord event, LiveTasks tasks, Set<String> workerClosures) {
        TaskState parent = event.parentId() == null ? null : tasks.get(event.parentId());
        if (parent == null || WorkerSpans.isWorkerSpan(parent, workerClosures)) {
            return new Resolution(null, parent, parent != null);
        }
        return new Resolution(parent, null, true);
    }
}
