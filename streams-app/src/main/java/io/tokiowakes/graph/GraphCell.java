package io.tokiowakes.graph;

import io.tokiowakes.model.DelayHistogram;
import io.tokiowakes.emit.DelayStats;
import io.tokiowakes.model.ResourceRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One arrow of a wake graph in one window: the wakes of one wakee by one waker of one kind, the
 * delays from those wakes to the wakee's next polls, and the resources the wakee waited on.
 * Fields are public for the store's serde; the methods are the only writers.
 */
public final class GraphCell {

    /** Resources counted per arrow: an arrow is one waker and one wakee, which wait on few. */
    static final int MAX_RESOURCES = 8;

    public long wakes;
    public DelayHistogram delays = new DelayHistogram();
    /** Wakes per resource, by {@link ResourceRef#label()}, in the order first seen. */
    public Map<String, Long> waitsOn = new LinkedHashMap<>();

    /** One resource of an arrow and how many of its wakes found the wakee waiting on it. */
    public record ResourceCount(String resource, long wakes) {
    }

    /** A wake along the arrow, whose wakee waited on these resources. */
    public void woke(List<ResourceRef> waitsOnNow) {
        wakes++;
        for (ResourceRef r : waitsOnNow) {
            String label = r.label();
            if (waitsOn.containsKey(label) || waitsOn.size() < MAX_RESOURCES) {
                waitsOn.merge(label, 1L, Long::sum);
            }
        }
    }

    /** The delay from one of the arrow's wakes to the wakee's next poll. */
    public void delayed(long nanos) {
        delays.record(nanos);
    }

    /** Adds another window's cell of the same arrow. */
    public void merge(GraphCell other) {
        wakes += other.wakes;
        delays.merge(other.delays);
        other.waitsOn.forEach((label, n) -> waitsOn.merge(label, n, Long::sum));
    }

    /** The delays as the graph shows them (percentiles, no buckets), or null when none is known yet. */
    public DelayStats delayStats() {
        return delays.count() == 0 ? null : DelayStats.of(delays).withoutBuckets();
    }

    /** The resources, most wakes first. */
    public List<ResourceCount> resources() {
        List<ResourceCount> out = new ArrayList<>();
        waitsOn.forEach((label, n) -> out.add(new ResourceCount(label, n)));
        out.sort((a, b) -> Long.compare(b.wakes(), a.wakes()));
        return out;
    }
}
