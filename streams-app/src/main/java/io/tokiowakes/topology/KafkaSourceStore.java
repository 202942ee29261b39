package io.tokiowakes.topology;

import io.tokiowakes.detect.TaskState;
import io.tokiowakes.engine.SourceState;
import io.tokiowakes.engine.SourceStore;
import io.tokiowakes.resolve.ThreadState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashMap;
import java.util.Map;

/**
 * One source's slice of the wake stage's state stores; keys are {@code "<source>/<id>"}.
 * Objects are kept in memory once read and written through to the stores on every change, so
 * the stores (and their changelogs) always hold the state while reads cost no deserialization.
 * A new instance is made whenever the processor is (re)initialised, after any restore.
 */
final class KafkaSourceStore implements SourceStore {

    private final KeyValueStore<String, TaskState> tasks;
    private final KeyValueStore<String, ThreadState> threads;
    private final KeyValueStore<String, SourceState> sources;
    private final KeyValueStore<String, String> unknownWakes;

    private final Map<String, TaskState> taskCache = new HashMap<>();
    private final Map<String, ThreadState> threadCache = new HashMap<>();
    /** Every source of this task: small, and walked by the idle flush. */
    private final Map<String, SourceState> sourceCache = new HashMap<>();

    private String source;
    private SourceState state;
    private boolean sourceDirty;

    KafkaSourceStore(ProcessorContext<?, ?> context) {
        tasks = context.getStateStore(StoreNames.LIVE_TASKS);
        threads = context.getStateStore(StoreNames.THREADS);
        sources = context.getStateStore(StoreNames.SOURCES);
        unknownWakes = context.getStateStore(StoreNames.UNKNOWN_WAKES);
        try (KeyValueIterator<String, SourceState> it = sources.all()) {
            while (it.hasNext()) {
                KeyValue<String, SourceState> kv = it.next();
                sourceCache.put(kv.key, kv.value);
            }
        }
    }

    /** Points this view at a source. */
    KafkaSourceStore bind(String source) {
        if (!source.equals(this.source)) {
            flush();
            this.source = source;
            this.state = sourceCache.computeIfAbsent(source, s -> new SourceState());
        }
        return this;
    }

    /** Writes the bound source's bookkeeping if it changed; called once per record processed. */
    void flush() {
        if (sourceDirty) {
            sources.put(source, state);
            sourceDirty = false;
        }
    }

    Map<String, SourceState> sources() {
        return sourceCache;
    }

    private String key(long id) {
        return source + "/" + Long.toUnsignedString(id);
    }

    @Override
    public TaskState get(long spanId) {
        String key = key(spanId);
        TaskState t = taskCache.get(key);
        if (t == null) {
            t = tasks.get(key);
            if (t != null) {
                taskCache.put(key, t);
            }
        }
        return t;
    }

    @Override
    public void putTask(TaskState task) {
        String key = key(task.spanId);
        taskCache.put(key, task);
        tasks.put(key, task);
    }

    @Override
    public void removeTask(long spanId) {
        String key = key(spanId);
        taskCache.remove(key);
        tasks.delete(key);
    }

    @Override
    public ThreadState thread(String threadId) {
        String key = source + "/" + threadId;
        ThreadState t = threadCache.get(key);
        if (t == null) {
            t = threads.get(key);
            if (t != null) {
                threadCache.put(key, t);
            }
        }
        return t;
    }

    @Override
    public void putThread(String threadId, ThreadState thread) {
        String key = source + "/" + threadId;
        threadCache.put(key, thread);
        threads.put(key, thread);
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
        String prefix = source + "/";
        deleteRange(tasks, prefix);
        deleteRange(threads, prefix);
        taskCache.keySet().removeIf(k -> k.startsWith(prefix));
        threadCache.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Deletes the keys that start with the prefix ('0' is the character after '/'). */
    private static void deleteRange(KeyValueStore<String, ?> store, String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        try (KeyValueIterator<String, ?> it = store.range(prefix, prefix.substring(0, prefix.length() - 1) + "0")) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }

    @Override
    public boolean firstUnknownWake(long spanId) {
        // The value is the source's trace time, so that old entries can be dropped.
        return unknownWakes.putIfAbsent(key(spanId), Long.toString(state.clockNanos)) == null;
    }

    /**
     * Drops the memory of unknown spans reported longer ago than the retention (trace time of
     * their source): what keeps that store from growing with every stray span ID.
     */
    void expireUnknownWakes(long retentionNanos) {
        java.util.List<String> expired = new java.util.ArrayList<>();
        try (KeyValueIterator<String, String> it = unknownWakes.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                SourceState s = sourceCache.get(kv.key.substring(0, kv.key.lastIndexOf('/')));
                long at = kv.value.isEmpty() ? 0 : Long.parseLong(kv.value);
                if (s == null || s.clockNanos - at > retentionNanos) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(unknownWakes::delete);
    }

    @Override
    public void clearUnknownWake(long spanId) {
        if (unknownWakes.get(key(spanId)) != null) {
            unknownWakes.delete(key(spanId));
        }
    }
}
