package io.tokiowakes.emit;

import io.tokiowakes.model.SourceKeys;

/** A value the job emits, with the Kafka key it goes out under. */
public sealed interface Output permits WakeEdge, WakeDelay, Anomaly, TaskSummary {

    String source();

    /** When it happened, in the source's trace time (nanoseconds). */
    long tsNanos();

    /** {@code "<source>/<span id>"} of the task the value is about. */
    String key();

    static String key(String source, long spanId) {
        return SourceKeys.span(source, spanId);
    }
}
