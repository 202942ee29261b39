package io.tokiowakes.detect;

import io.tokiowakes.model.AnomalyType;

/**
 * A lint that fired for a task: what, when (trace time), and a sentence for people.
 *
 * @param count the number the lint is about (wakes, nanoseconds, bytes), or null
 */
public record Finding(AnomalyType type, long tsNanos, String detail, Long count) {
}
