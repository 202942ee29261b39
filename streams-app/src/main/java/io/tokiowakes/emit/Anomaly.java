package io.tokiowakes.emit;

import io.tokiowakes.model.TaskRef;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokiowakes.model.AnomalyType;

/**
 * A lint that fired, on {@code tokio.anomalies}, keyed by the task.
 *
 * @param wakes the task's wakes so far, for the wake lints
 */
public record Anomaly(AnomalyType type, String source, long tsNanos, TaskRef task, String detail,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Long wakes) implements Output {

    @Override
    @JsonIgnore
    public String key() {
        return Output.key(source, task.spanId());
    }
}
