package io.tokiowakes.detect;

import io.tokiowakes.model.PendingWake;
import io.tokiowakes.model.TaskState;

import java.util.List;
import java.util.function.Consumer;

/**
 * One task lint (as tokio-console has one type per lint): the moments of a task it looks at, each
 * a no-op unless the lint cares. {@link TaskLints} calls them only for linted tasks, in the order
 * of its list, so a moment that fires several lints reports them in that order.
 */
public interface Lint {

    /** At spawn, with what the span's fields tell. */
    default void onSpawn(TaskState t, long ts, Consumer<Finding> out) {
    }

    /** A poll started and ended these waits, oldest first. */
    default void onPollStart(TaskState t, List<PendingWake> ended, long ts, Consumer<Finding> out) {
    }

    /** A poll ended. */
    default void onPollEnd(TaskState t, long ts, Consumer<Finding> out) {
    }

    /** A wake was counted. */
    default void onWake(TaskState t, long ts, Consumer<Finding> out) {
    }

    /** At span_close. */
    default void onClose(TaskState t, long ts, Consumer<Finding> out) {
    }

    /** Reports a finding once per task and type: the task remembers what it reported. */
    static void report(TaskState t, Finding f, Consumer<Finding> out) {
        if (t.reported.add(f.type())) {
            out.accept(f);
        }
    }
}
