package io.tokiowakes.model;

/**
 * How often a task was woken while its waker sat in one resource.
 *
 * @param resource the resource, as it was when the task first waited on it
 * @param wakes    wakes of the task that named it (a wake edge's {@code waits_on})
 */
public record ResourceWakes(ResourceRef resource, long wakes) {
}
