package io.tokiowakes.resolve;

import io.tokiowakes.model.ThreadState;
import io.tokiowakes.model.TaskState;

import java.util.Set;

/**
 * Which blocking spans are a worker thread's own, told by what the trace shows rather than by
 * function names. Tokio's multi-thread runtime runs each worker loop as a blocking task
 * ({@code Launch::launch}), and block_in_place hands the worker loop to a new thread that runs
 * it inside another blocking task (newer Tokio names it differently again). Inside such a span
 * the thread polls spawned tasks; a {@code spawn_blocking} closure never does. So a blocking
 * span inside which a {@code task} or {@code local} task was polled on the same thread is a
 * worker's span, and so is every span of the same closure type (all workers of a runtime run
 * the same closure, so one that has not polled a task yet, such as a worker whose first act is a
 * timer wake, is known from its siblings).
 */
public final class WorkerSpans {

    private WorkerSpans() {
    }

    /**
     * Call before an async task's span is pushed on the thread's stack.
     *
     * @return the blocking span directly beneath it on the thread (the innermost live entry),
     *         which thereby shows that it runs tasks; null when there is none
     */
    public static TaskState hostOfPoll(ThreadState thread, LiveTasks tasks) {
        for (int i = thread.entered.size() - 1; i >= 0; i--) {
            TaskState t = tasks.get(thread.entered.get(i));
            if (t != null) {
                return t.info.isBlocking() ? t : null;
            }
        }
        return null;
    }

    /**
     * @param span           a live task span
     * @param workerClosures closure types ({@link io.tokiowakes.model.TaskInfo#closure()}) of
     *                       blocking spans of the source that have been seen polling tasks
     * @return whether the span is a worker thread's own: wakes inside it, outside any task,
     *         come from the scheduler (timers, I/O driver, deferred wakes), not from a closure
     */
    public static boolean isWorkerSpan(TaskState span, Set<String> workerClosures) {
        if (!span.info.isBlocking()) {
            return false;
        }
        if (span.runsTasks) {
            return true;
        }
        String closure = span.info.closure();
        return closure != null && workerClosures.contains(closure);
    }
}
