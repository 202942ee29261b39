package io.tokiowakes.observe;

import io.tokiowakes.graph.GraphCell;
import io.tokiowakes.graph.TaskView;
import io.tokiowakes.graph.WindowKeys;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.SourceState;
import io.tokiowakes.model.SourceKeys;
import io.tokiowakes.model.ResourceSpan;
import io.tokiowakes.topology.WakeGraph;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads one source's tasks and wake counts out of the local stores. */
public final class SourceReader {

    private static final StringSerializer KEYS = new StringSerializer();

    private final StoreAccess stores;

    public SourceReader(StoreAccess stores) {
        this.stores = stores;
    }

    /** @return whether the source has sent anything that this instance holds */
    public boolean knows(String source) {
        ReadOnlyKeyValueStore<String, SourceState> sources = stores.store(WakeGraph.SOURCES);
        return sources.get(source) != null;
    }

    /** Every source held here. */
    public List<String> sources() {
        List<String> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, SourceState> sources = stores.store(WakeGraph.SOURCES);
        try (KeyValueIterator<String, SourceState> it = sources.all()) {
            it.forEachRemaining(kv -> out.add(kv.key));
        }
        return out;
    }

    /** The source's closure types known to run a worker loop (see {@code resolve.WorkerSpans}); empty when none. */
    public Set<String> workerClosures(String source) {
        SourceState s = stores.<SourceState>store(WakeGraph.SOURCES).get(source);
        return s == null || s.workerClosures == null ? Set.of() : s.workerClosures;
    }

    public Map<Long, TaskState> liveTasks(String source) {
        return scan(WakeGraph.LIVE_TASKS, source);
    }

    public Map<Long, TaskView> views(String source) {
        return scan(WakeGraph.TASK_VIEWS, source);
    }

    public TaskState liveTask(String source, long spanId) {
        return stores.<TaskState>store(WakeGraph.LIVE_TASKS).get(key(source, spanId));
    }

    /** @return the live resource span, or null when it is not open */
    public ResourceSpan liveResource(String source, long spanId) {
        return stores.<ResourceSpan>store(WakeGraph.LIVE_RESOURCES).get(key(source, spanId));
    }

    public TaskView view(String source, long spanId) {
        return stores.<TaskView>store(WakeGraph.TASK_VIEWS).get(key(source, spanId));
    }

    /** The source's wake graph cells of every window still kept. */
    public List<KeyValue<WindowKeys.Cell, GraphCell>> windows(String source) {
        List<KeyValue<WindowKeys.Cell, GraphCell>> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, GraphCell> windows = stores.store(WakeGraph.WINDOWS);
        try (KeyValueIterator<String, GraphCell> it = windows.prefixScan(WindowKeys.source(source), KEYS)) {
            it.forEachRemaining(kv -> out.add(KeyValue.pair(WindowKeys.parse(kv.key), kv.value)));
        }
        return out;
    }

    static String key(String source, long spanId) {
        return SourceKeys.span(source, spanId);
    }

    /**
     * Values under {@code "<source>/<span id>"}. Source names may hold '/', so a key of source
     * {@code a/b} also starts with {@code a/}: only a span ID may follow the prefix.
     */
    private <V> Map<Long, V> scan(String store, String source) {
        Map<Long, V> out = new TreeMap<>(Long::compareUnsigned);
        ReadOnlyKeyValueStore<String, V> s = stores.store(store);
        try (KeyValueIterator<String, V> it = s.prefixScan(SourceKeys.rangeFrom(source), KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                Long id = SourceKeys.spanIdOf(kv.key, source);
                if (id != null) {
                    out.put(id, kv.value);
                }
            }
        }
        return out;
    }

    /** @return the span ID, or null when the text is not an unsigned decimal */
    public static Long spanId(String text) {
        return SourceKeys.parseU64(text);
    }
}
