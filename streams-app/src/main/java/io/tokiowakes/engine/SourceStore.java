package io.tokiowakes.engine;

import io.tokiowakes.model.SourceState;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.resolve.LiveResources;
import io.tokiowakes.resolve.LiveTasks;
import io.tokiowakes.model.ResourceSpan;
import io.tokiowakes.model.ThreadState;

/** The engine's view of one source's state: live tasks and resources, threads and bookkeeping. */
public interface SourceStore extends LiveTasks, LiveResources {

    void putTask(TaskState task);

    void removeTask(long spanId);

    void putResource(ResourceSpan resource);

    void removeResource(long spanId);

    /** @return the thread's state, or null when it was never seen */
    ThreadState thread(String threadId);

    void putThread(String threadId, ThreadState thread);

    /** @return the source's bookkeeping, a fresh one when the source is new */
    SourceState source();

    void putSource(SourceState state);

    /** @return true the first time a wake of this unknown span is seen (until a task takes the ID) */
    boolean firstUnknownWake(long spanId);

    void clearUnknownWake(long spanId);

    /** Forgets every task, resource and thread of the source: its process was restarted. */
    void clearTasksAndThreads();
}
