package io.tokiowakes.model;

import io.tokiowakes.emit.WakeEdge;

/**
 * How often a task was woken while its waker sat in one resource.
 *
 * @param resource the resource, as it was when the task first waited on it
 * @param wakes    wakes of the task that named it ({@link WakeEdge#waitsOn()})
 */
public record ResourceWakes(ResourceRef resource, long wakes) {
}
