package io.tokiowakes.topology;

import io.tokiowakes.detect.TaskState;
import io.tokiowakes.engine.SourceState;
import io.tokiowakes.engine.SourceStore;
import io.tokiowakes.ingest.SourceKeys;
import io.tokiowakes.resolve.ThreadState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One source's slice of the wake stage's state tables; keys come from {@link SourceKeys}.
 * Objects are kept in memory once read; a change is written to its table at the next
 * {@link #flush()}, which the wake stage calls at the end of every batch it processes. Kafka
 * Streams commits only between two records (here: batches), so the stores, and their
 * changelogs, hold the state at every commit, while a task changed by many records of a batch is
 * serialized once. A new instance is made whenever the processor is (re)initialised, after any
 * restore.
 */
public final class CachedSourceStore implements SourceStore {

    private final Table<TaskState> tasks;
    private final Table<ThreadState> threads;
    private final Table<SourceState> sources;
    private final Table<String> unknownWakes;

    private final Map<String, TaskState> taskCache = new HashMap<>();
    private final Map<String, ThreadState> threadCache = new HashMap<>();
    /** Every source of this task: small, and walked by the idle flush. */
    private final Map<String, SourceState> sourceCache = new HashMap<>();

    /** Whether changes are written to the tables: not when the in-memory copies are the whole state. */
    private final boolean writeBehind;
    /** Changes not yet written: the new value, or null for a delete. */
    private final Map<String, TaskState> dirtyTasks = new HashMap<>();
    private final Map<String, ThreadState> dirtyThreads = new HashMap<>();

    private String source;
    private SourceState state;
    private boolean sourceDirty;

    CachedSourceStore(Table<TaskState> tasks, Table<ThreadState> threads, Table<SourceState> sources,
                      Table<String> unknownWakes) {
        this(tasks, threads, sources, unknownWakes, true);
    }

    private CachedSourceStore(Table<TaskState> tasks, Table<ThreadState> threads, Table<SourceState> sources,
                              Table<String> unknownWakes, boolean writeBehind) {
        this.writeBehind = writeBehind;
        this.tasks = tasks;
        this.threads = threads;
        this.sources = sources;
        this.unknownWakes = unknownWakes;
        sources.forEach(sourceCache::put);
    }

    /**
     * State in memory only, for in-process runs: the in-memory copies are the whole state; only
     * the memory of unknown span IDs, which has no copy in front of it, keeps a table.
     */
    public static CachedSourceStore inMemory() {
        return new CachedSourceStore(Table.none(), Table.none(), Table.none(), Table.inMemory(), false);
    }

    /** Points this view at a source. */
    public CachedSourceStore bind(String source) {
        if (!source.equals(this.source)) {
            flush();
            this.source = source;
            this.state = sourceCache.computeIfAbsent(source, s -> new SourceState());
        }
        return this;
    }

    /** Writes what changed since the last flush to the tables. */
    void flush() {
        if (sourceDirty) {
            sources.put(source, state);
            sourceDirty = false;
        }
        writeDirty(dirtyTasks, tasks);
        writeDirty(dirtyThreads, threads);
    }

    private static <V> void writeDirty(Map<String, V> dirty, Table<V> table) {
        if (dirty.isEmpty()) {
            return;
        }
        dirty.forEach((key, value) -> {
            if (value == null) {
                table.delete(key);
            } else {
                table.put(key, value);
            }
        });
        dirty.clear();
    }

    Map<String, SourceState> sources() {
        return sourceCache;
    }

    /** Where the source's records have been applied up to: the place of the last one released. */
    OrderingBuffer.Slot releasedUpTo(String source) {
        SourceState s = sourceCache.get(source);
        return s == null ? OrderingBuffer.Slot.BEFORE_ALL : new OrderingBuffer.Slot(s.lastReleasedKey, s.lastReleasedArrival);
    }

    private String key(long id) {
        return SourceKeys.span(source, id);
    }

    @Override
    public TaskState get(long spanId) {
        return cached(taskCache, dirtyTasks, tasks, key(spanId));
    }

    @Override
    public void putTask(TaskState task) {
        String key = key(task.spanId);
        taskCache.put(key, task);
        if (writeBehind) {
            dirtyTasks.put(key, task);
        }
    }

    @Override
    public void removeTask(long spanId) {
        String key = key(spanId);
        taskCache.remove(key);
        if (writeBehind) {
            dirtyTasks.put(key, null);
        }
    }

    @Override
    public ThreadState thread(String threadId) {
        return cached(threadCache, dirtyThreads, threads, SourceKeys.thread(source, threadId));
    }

    /** The in-memory copy, or the table's value (then kept in memory) unless deleted since, or null. */
    private static <V> V cached(Map<String, V> cache, Map<String, V> dirty, Table<V> table, String key) {
        V v = cache.get(key);
        if (v == null && !dirty.containsKey(key)) {
            v = table.get(key);
            if (v != null) {
                cache.put(key, v);
            }
        }
        return v;
    }

    @Override
    public void putThread(String threadId, ThreadState thread) {
        String key = SourceKeys.thread(source, threadId);
        threadCache.put(key, thread);
        if (writeBehind) {
            dirtyThreads.put(key, thread);
        }
    }

    @Override
    public SourceState source() {
        return state;
    }

    @Override
    public void putSource(SourceState s) {
        state = s;
        sourceCache.put(source, s);
        sourceDirty = true;
    }

    @Override
    public void clearTasksAndThreads() {
        deleteKeysOf(tasks, source);
        deleteKeysOf(threads, source);
        taskCache.keySet().removeIf(k -> SourceKeys.belongsTo(k, source));
        threadCache.keySet().removeIf(k -> SourceKeys.belongsTo(k, source));
        dirtyTasks.keySet().removeIf(k -> SourceKeys.belongsTo(k, source));
        dirtyThreads.keySet().removeIf(k -> SourceKeys.belongsTo(k, source));
    }

    /**
     * Deletes the source's keys. The range also holds the keys of sources whose names extend
     * this one ({@code svc/host1/4242} after {@code svc}): those stay.
     */
    private static void deleteKeysOf(Table<?> table, String source) {
        table.keys(SourceKeys.rangeFrom(source), SourceKeys.rangeTo(source)).stream()
                .filter(k -> SourceKeys.belongsTo(k, source))
                .forEach(table::delete);
    }

    @Override
    public boolean firstUnknownWake(long spanId) {
        // The value is the source's trace time, so that old entries can be dropped.
        String key = key(spanId);
        if (unknownWakes.get(key) != null) {
            return false;
        }
        unknownWakes.put(key, Long.toString(state.clockNanos));
        return true;
    }

    /**
     * Drops the memory of unknown spans reported longer ago than the retention (trace time of
     * their source): what keeps that store from growing with every stray span ID.
     */
    void expireUnknownWakes(long retentionNanos) {
        List<String> expired = new ArrayList<>();
        unknownWakes.forEach((key, value) -> {
            SourceState s = sourceCache.get(SourceKeys.sourceOf(key));
            long at = value.isEmpty() ? 0 : Long.parseLong(value);
            if (s == null || s.clockNanos - at > retentionNanos) {
                expired.add(key);
            }
        });
        expired.forEach(unknownWakes::delete);
    }

    @Override
    public void clearUnknownWake(long spanId) {
        if (unknownWakes.get(key(spanId)) != null) {
            unknownWakes.delete(key(spanId));
        }
    }
}
