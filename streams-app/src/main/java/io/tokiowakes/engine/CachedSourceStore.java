package io.tokiowakes.engine;

import io.tokiowakes.model.Table;
import io.tokiowakes.order.OrderingBuffer;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.SourceState;
import io.tokiowakes.model.SourceKeys;
import io.tokiowakes.model.ResourceSpan;
import io.tokiowakes.model.ThreadState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One source's slice of the wake stage's state tables; keys come from {@link SourceKeys}.
 * Objects are kept in memory once read; a change is written to its table by the table's
 * {@code write...} method, which the job runs at every commit, just before that table's store is
 * committed. So the stores, and their changelogs, hold the state at every commit, while a task
 * changed by many records between two commits is serialized once. A new instance is made
 * whenever the processor is (re)initialised, after any restore.
 */
public final class CachedSourceStore implements SourceStore {

    private final Table<TaskState> tasks;
    private final Table<ResourceSpan> resources;
    private final Table<ThreadState> threads;
    private final Table<SourceState> sources;
    private final Table<String> unknownWakes;
    /** Whether changes are written to the tables: not when the in-memory copies are the whole state. */
    private final boolean writeBehind;

    /**
     * One source's state in memory, by span ID and thread ID: the engine looks tasks up several
     * times a record, and a lookup here builds no key. Table keys are made only to write.
     */
    private static final class SourceCache {
        final String source;
        SourceState state;
        boolean stateDirty;
        final Map<Long, TaskState> tasks = new HashMap<>();
        /**
         * Every live resource span of the source (all are read in at start): most lookups are of
         * spans that are no resource (a waker clone's parent is often a task or a user span), and
         * they must not reach the table.
         */
        final Map<Long, ResourceSpan> resources = new HashMap<>();
        final Map<String, ThreadState> threads = new HashMap<>();
        /** Changes not yet written: the new value, or null for a delete. */
        final Map<Long, TaskState> dirtyTasks = new HashMap<>();
        final Map<Long, ResourceSpan> dirtyResources = new HashMap<>();
        final Map<String, ThreadState> dirtyThreads = new HashMap<>();

        SourceCache(String source, SourceState state) {
            this.source = source;
            this.state = state;
        }
    }

    /** Every source of this task: small, and walked by the heartbeat's release. */
    private final Map<String, SourceCache> caches = new HashMap<>();
    private SourceCache bound;

    public CachedSourceStore(Table<TaskState> tasks, Table<ResourceSpan> resources, Table<ThreadState> threads,
                      Table<SourceState> sources, Table<String> unknownWakes) {
        this(tasks, resources, threads, sources, unknownWakes, true);
    }

    private CachedSourceStore(Table<TaskState> tasks, Table<ResourceSpan> resources, Table<ThreadState> threads,
                              Table<SourceState> sources, Table<String> unknownWakes, boolean writeBehind) {
        this.writeBehind = writeBehind;
        this.tasks = tasks;
        this.resources = resources;
        this.threads = threads;
        this.sources = sources;
        this.unknownWakes = unknownWakes;
        sources.forEach((source, state) -> caches.put(source, new SourceCache(source, state)));
        resources.forEach((key, r) -> caches.computeIfAbsent(SourceKeys.sourceOf(key),
                s -> new SourceCache(s, new SourceState())).resources.put(r.spanId, r));
    }

    /**
     * State in memory only, for in-process runs: the in-memory copies are the whole state; only
     * the memory of unknown span IDs, which has no copy in front of it, keeps a table.
     */
    public static CachedSourceStore inMemory() {
        return new CachedSourceStore(Table.none(), Table.none(), Table.none(), Table.none(), Table.inMemory(), false);
    }

    /** Points this view at a source. */
    public CachedSourceStore bind(String source) {
        if (bound == null || !source.equals(bound.source)) {
            bound = caches.computeIfAbsent(source, s -> new SourceCache(s, new SourceState()));
        }
        return this;
    }

    /** Writes the tasks changed since the last call to their table (a commit of the job calls it). */
    public void writeTasks() {
        for (SourceCache c : caches.values()) {
            write(c.source, c.dirtyTasks, tasks);
        }
    }

    /** Writes the resource spans changed since the last call to their table. */
    public void writeResources() {
        for (SourceCache c : caches.values()) {
            write(c.source, c.dirtyResources, resources);
        }
    }

    /** Writes the threads changed since the last call to their table. */
    public void writeThreads() {
        for (SourceCache c : caches.values()) {
            c.dirtyThreads.forEach((threadId, thread) -> threads.put(SourceKeys.thread(c.source, threadId), thread));
            c.dirtyThreads.clear();
        }
    }

    /** Writes the source states changed since the last call to their table. */
    public void writeSources() {
        for (SourceCache c : caches.values()) {
            if (c.stateDirty) {
                sources.put(c.source, c.state);
                c.stateDirty = false;
            }
        }
    }

    /** Writes every change since the last write to the tables. */
    public void writeAll() {
        writeTasks();
        writeResources();
        writeThreads();
        writeSources();
    }

    /** Writes a source's changed spans to their table (a null value: deleted) and forgets the changes. */
    private static <V> void write(String source, Map<Long, V> dirty, Table<V> table) {
        dirty.forEach((spanId, value) -> {
            String key = SourceKeys.span(source, spanId);
            if (value == null) {
                table.delete(key);
            } else {
                table.put(key, value);
            }
        });
        dirty.clear();
    }

    /** Notes a change of one of the bound source's spans, to write at the next write (null: a delete). */
    private <V> void changed(Map<Long, V> dirty, long spanId, V value) {
        if (writeBehind) {
            dirty.put(spanId, value);
        }
    }

    /** The sources of this task. */
    List<String> sourceNames() {
        return List.copyOf(caches.keySet());
    }

    /** Where the source's records have been applied up to: the place of the last one released. */
    public OrderingBuffer.Slot releasedUpTo(String source) {
        SourceCache c = caches.get(source);
        return c == null ? OrderingBuffer.Slot.BEFORE_ALL
                : new OrderingBuffer.Slot(c.state.lastReleasedKey, c.state.lastReleasedArrival);
    }

    private String key(long id) {
        return SourceKeys.span(bound.source, id);
    }

    @Override
    public TaskState get(long spanId) {
        TaskState t = bound.tasks.get(spanId);
        if (t == null && !bound.dirtyTasks.containsKey(spanId)) {
            t = tasks.get(key(spanId));
            if (t != null) {
                bound.tasks.put(spanId, t);
            }
        }
        return t;
    }

    @Override
    public void putTask(TaskState task) {
        bound.tasks.put(task.spanId, task);
        changed(bound.dirtyTasks, task.spanId, task);
    }

    @Override
    public void removeTask(long spanId) {
        bound.tasks.remove(spanId);
        changed(bound.dirtyTasks, spanId, null);
    }

    @Override
    public ResourceSpan resource(long spanId) {
        return bound.resources.get(spanId);
    }

    @Override
    public void putResource(ResourceSpan resource) {
        bound.resources.put(resource.spanId, resource);
        changed(bound.dirtyResources, resource.spanId, resource);
    }

    @Override
    public void removeResource(long spanId) {
        if (bound.resources.remove(spanId) != null) {
            changed(bound.dirtyResources, spanId, null);
        }
    }

    @Override
    public ThreadState thread(String threadId) {
        ThreadState t = bound.threads.get(threadId);
        if (t == null) {
            t = threads.get(SourceKeys.thread(bound.source, threadId));
            if (t != null) {
                bound.threads.put(threadId, t);
            }
        }
        return t;
    }

    @Override
    public void putThread(String threadId, ThreadState thread) {
        bound.threads.put(threadId, thread);
        if (writeBehind) {
            bound.dirtyThreads.put(threadId, thread);
        }
    }

    @Override
    public SourceState source() {
        return bound.state;
    }

    @Override
    public void putSource(SourceState s) {
        bound.state = s;
        if (writeBehind) {
            bound.stateDirty = true;
        }
    }

    @Override
    public void clearTasksAndThreads() {
        deleteKeysOf(tasks, bound.source);
        deleteKeysOf(resources, bound.source);
        deleteKeysOf(threads, bound.source);
        bound.tasks.clear();
        bound.resources.clear();
        bound.threads.clear();
        bound.dirtyTasks.clear();
        bound.dirtyResources.clear();
        bound.dirtyThreads.clear();
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
        unknownWakes.put(key, Long.toString(bound.state.clockNanos));
        return true;
    }

    /**
     * Drops the memory of unknown spans reported longer ago than the retention (trace time of
     * their source): what keeps that store from growing with every stray span ID.
     */
    void expireUnknownWakes(long retentionNanos) {
        List<String> expired = new ArrayList<>();
        unknownWakes.forEach((key, value) -> {
            SourceCache c = caches.get(SourceKeys.sourceOf(key));
            long at = value.isEmpty() ? 0 : Long.parseLong(value);
            if (c == null || c.state.clockNanos - at > retentionNanos) {
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
