package io.tokiowakes.observe;

import io.tokiowakes.classify.WakeKind;
import io.tokiowakes.ingest.SourceKeys;

import java.util.List;

/**
 * One source's wakes in one window, on {@code tokio.wake-graph}, keyed
 * {@code "<source>/window/<window start ms>"}; written again, complete, each time the window grows.
 */
public record GraphWindow(String source, long windowStartMs, long windowEndMs, List<Count> wakes) {

    /** Wakes of {@code wakee} by {@code waker} of one kind; names as {@link TaskLabel} gives them. */
    public record Count(String waker, String wakee, WakeKind kind, long count) {
    }

    public String key() {
        return SourceKeys.graphWindow(source, windowStartMs);
    }
}
