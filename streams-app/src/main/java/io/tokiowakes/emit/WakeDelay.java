package io.tokiowakes.emit;

import io.tokiowakes.model.TaskRef;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tokiowakes.model.WakeKind;

/**
 * How long one wake waited for its task's next poll, on {@code tokio.wake-delays}, keyed like its
 * wake edge (by the woken task); it joins the edge by key and {@code seq} (or {@code
 * wake_ts_nanos} where the producer sends no seq). It goes out when the poll starts, so the edge
 * itself is not held back. Times are the source's trace time.
 *
 * @param seq         the wake's seq, as on its edge
 * @param wakeTsNanos when the wake fired
 * @param tsNanos     when the woken task's next poll started (its span_enter)
 * @param delayNanos  {@code tsNanos - wakeTsNanos}, at least 0
 */
public record WakeDelay(String source, Long seq, long wakeTsNanos, long tsNanos, long delayNanos, WakeKind kind,
                        TaskRef waker, TaskRef wakee) implements Output {

    @Override
    @JsonIgnore
    public String key() {
        return Output.key(source, wakee.spanId());
    }
}
