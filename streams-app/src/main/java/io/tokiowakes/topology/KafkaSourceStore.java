package io.tokiowakes.topology;

import io.tokiowakes.detect.TaskState;
import io.tokiowakes.engine.SourceState;
import io.tokiowakes.engine.SourceStore;
import io.tokiowakes.resolve.ThreadState;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** One source's slice of the wake stage's state stores; keys are {@code "<source>/<id>"}. */
final class KafkaSourceStore implements SourceStore {

    private final KeyValueStore<String, TaskState> tasks;
    private final KeyValueStore<String, ThreadState> threads;
    private final KeyValueStore<String, SourceState> sources;
    private final KeyValueStore<String, String> unknownWakes;

    private String source;
    private SourceState state;

    KafkaSourceStore(ProcessorContext<?, ?> context) {
        tasks = context.getStateStore(StoreNames.LIVE_TASKS);
        threads = context.getStateStore(StoreNames.THREADS);
        sources = context.getStateStore(StoreNames.SOURCES);
        unknownWakes = context.getStateStore(StoreNames.UNKNOWN_WAKES);
    }

    /** Points this view at a source; its bookkeeping is read once and shared until the next bind. */
    KafkaSourceStore bind(String source) {
        if (!source.equals(this.source)) {
            this.source = source;
            this.state = sources.get(source);
            if (state == null) {
                state = new SourceState();
            }
        }
        return this;
    }

    /** Forgets the cached bookkeeping (after a punctuation walked the sources store directly). */
    void unbind() {
        source = null;
        state = null;
    }

    private String key(long id) {
        return source + "/" + Long.toUnsignedString(id);
    }

    @Override
    public TaskState get(long spanId) {
        return tasks.get(key(spanId));
    }

    @Override
    public void putTask(TaskState task) {
        tasks.put(key(task.spanId), task);
    }

    @Override
    public void removeTask(long spanId) {
        tasks.delete(key(spanId));
    }

    @Override
    public ThreadState thread(String threadId) {
        return threads.get(source + "/" + threadId);
    }

    @Override
    public void putThread(String threadId, ThreadState thread) {
        threads.put(source + "/" + threadId, thread);
    }

    @Override
    public SourceState source() {
        return state;
    }

    @Override
    public void putSource(SourceState s) {
        state = s;
        sources.put(source, s);
    }

    @Override
    public boolean firstUnknownWake(long spanId) {
        return unknownWakes.putIfAbsent(key(spanId), "") == null;
    }

    @Override
    public void clearUnknownWake(long spanId) {
        unknownWakes.delete(key(spanId));
    }
}
