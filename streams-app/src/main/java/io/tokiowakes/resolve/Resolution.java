package io.tokiowakes.resolve;

import io.tokiowakes.model.TaskState;

/**
 * Who was running where a wake fired.
 *
 * @param current       the task being polled on the thread, or null when none was
 * @param workerSpan    the worker's own blocking span when only that was entered, else null
 * @param runtimeThread the thread has polled tasks before: it belongs to the runtime
 */
public record Resolution(TaskState current, TaskState workerSpan, boolean runtimeThread) {
}
