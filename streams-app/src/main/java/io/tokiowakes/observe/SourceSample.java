package io.tokiowakes.observe;

import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.SourceState;
import io.tokiowakes.model.SourceKeys;
import io.tokiowakes.topology.WakeGraph;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One source's gauges, read from the local stores.
 *
 * @param liveTasks   task spans open now
 * @param buffered    records in the ordering buffer: waiting for earlier records of the source
 * @param waitingMs   wall-clock time since the source's last arrival while records are held,
 *                    0 when none are; should stay under about a second while the job keeps up
 */
public record SourceSample(String source, long liveTasks, long buffered, long waitingMs) {

    public static List<SourceSample> read(StoreAccess stores, long nowMs) {
        Map<String, Long> live = new HashMap<>();
        ReadOnlyKeyValueStore<String, TaskState> tasks = stores.store(WakeGraph.LIVE_TASKS);
        // Keys only matter here, but the store API yields values too.
        try (KeyValueIterator<String, TaskState> it = tasks.all()) {
            while (it.hasNext()) {
                String source = SourceKeys.sourceOf(it.next().key);
                if (source != null) {
                    live.merge(source, 1L, Long::sum);
                }
            }
        }
        List<SourceSample> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, SourceState> sources = stores.store(WakeGraph.SOURCES);
        try (KeyValueIterator<String, SourceState> it = sources.all()) {
            while (it.hasNext()) {
                KeyValue<String, SourceState> kv = it.next();
                SourceState s = kv.value;
                long waiting = s.buffered > 0 ? Math.max(0, nowMs - s.lastArrivalWallMs) : 0;
                out.add(new SourceSample(kv.key, live.getOrDefault(kv.key, 0L), s.buffered, waiting));
            }
        }
        return out;
    }
}
