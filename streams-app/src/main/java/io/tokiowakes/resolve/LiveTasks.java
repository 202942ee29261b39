package io.tokiowakes.resolve;

import io.tokiowakes.model.TaskState;

/** The live task spans of one source, by span ID. */
public interface LiveTasks {
    /** @return the live task, or null when no such span is open */
    TaskState get(long spanId);
}
