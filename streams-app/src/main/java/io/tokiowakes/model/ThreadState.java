package io.tokiowakes.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What one OS thread of a source is doing: the task spans it has entered (innermost last),
 * and whether it has ever polled a task, which makes it one of the runtime's threads.
 */
public class ThreadState {
    public String name = "";
    public boolean runtime;
    public List<Long> entered = new ArrayList<>();

    public void enter(long spanId) {
        entered.add(spanId);
        runtime = true;
    }

    /** Removes the innermost entry of that span; tolerant of an exit whose enter was never seen. */
    public boolean exit(long spanId) {
        for (int i = entered.size() - 1; i >= 0; i--) {
            if (entered.get(i) == spanId) {
                entered.remove(i);
                return true;
            }
        }
        return false;
    }

    /** A closed span can no longer be current anywhere. */
    public void forget(long spanId) {
        entered.removeIf(id -> id == spanId);
    }
}
