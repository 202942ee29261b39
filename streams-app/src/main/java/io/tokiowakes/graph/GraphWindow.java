package io.tokiowakes.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.emit.DelayStats;
import io.tokiowakes.model.SourceKeys;

import java.util.List;

/**
 * One source's wakes in one window, on {@code tokio.wake-graph}, keyed
 * {@code "<source>/window/<window start ms>"}; written again, complete, each time the window grows.
 */
public record GraphWindow(String source, long windowStartMs, long windowEndMs, List<Count> wakes) {

    /**
     * Wakes of {@code wakee} by {@code waker} of one kind; names as {@link TaskLabel} gives them.
     *
     * @param delays  the delays from these wakes to the wakee's next polls (percentiles of trace
     *                time), left out while none is known
     * @param waitsOn the resources the wakee waited on at these wakes ({@link io.tokiowakes.model.ResourceRef#label()}),
     *                most wakes first; left out when none
     */
    public record Count(String waker, String wakee, WakeKind kind, long count,
                        @JsonInclude(JsonInclude.Include.NON_NULL) DelayStats delays,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GraphCell.ResourceCount> waitsOn) {

        static Count of(WindowKeys.Cell key, GraphCell cell) {
            return new Count(key.waker(), key.wakee(), key.kind(), cell.wakes, cell.delayStats(), cell.resources());
        }
    }

    public String key() {
        return SourceKeys.graphWindow(source, windowStartMs);
    }
}
