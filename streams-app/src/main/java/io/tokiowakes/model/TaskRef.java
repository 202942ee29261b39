package io.tokiowakes.model;

import io.tokiowakes.json.UnsignedLongSerializer;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A task as outputs name it. {@code name} and {@code kind} are null for a span that is not a
 * live task; {@code loc} is written only where it is known and wanted.
 *
 * @param spanId the span ID of its {@code runtime.spawn} span: what joins
 * @param taskId Tokio's task ID: what people see in tokio-console
 */
public record TaskRef(@JsonSerialize(using = UnsignedLongSerializer.class) long spanId,
                      Long taskId, String name, String kind,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String loc) {

    public static TaskRef of(TaskState t) {
        return new TaskRef(t.spanId, t.info.taskId(), t.info.name(), t.info.kind(), null);
    }

    public static TaskRef withLocation(TaskState t) {
        return new TaskRef(t.spanId, t.info.taskId(), t.info.name(), t.info.kind(), t.info.loc());
    }

    public static TaskRef unknown(long spanId) {
        return new TaskRef(spanId, null, null, null, null);
    }
}
