package io.tokiowakes.graph;

import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.TaskRef;

/**
 * The name a task goes by in the wake graph. Graph nodes are task names, not span IDs, so that a
 * fleet's graph stays small: every {@code worker-3} of a process is one node.
 */
public final class TaskLabel {

    /** The waker of a wake that no task did, from outside the runtime. */
    public static final String EXTERNAL = "(external)";
    /** The waker of a wake that the runtime did outside any task span. */
    public static final String RUNTIME = "(runtime)";
    /** A woken span that was not a live task. */
    public static final String UNKNOWN = "(unknown)";

    private TaskLabel() {
    }

    public static String of(TaskRef t) {
        if (t == null) {
            return UNKNOWN;
        }
        return of(t.name(), t.kind());
    }

    public static String of(String name, String kind) {
        if (name != null && !name.isEmpty()) {
            return clean(name);
        }
        return kind == null ? UNKNOWN : "(" + clean(kind) + ")";
    }

    /**
     * A waker: {@link #RUNTIME} for every RUNTIME wake (outside any span, or on a multi-thread
     * worker in the worker's own blocking span, which is the runtime rather than a blocking
     * closure), {@link #EXTERNAL} for an EXTERNAL one, else the waking task's name.
     */
    public static String waker(TaskRef waker, WakeKind kind) {
        if (kind == WakeKind.RUNTIME) {
            return RUNTIME;
        }
        if (waker != null) {
            return of(waker);
        }
        return kind == WakeKind.EXTERNAL ? EXTERNAL : RUNTIME;
    }

    // Store keys separate their parts with control characters; names must not carry them.
    private static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20) {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, '?');
            }
        }
        return b == null ? s : b.toString();
    }
}
