package io.tokiowakes.engine;

import io.tokiowakes.detect.TaskState;
import io.tokiowakes.resolve.ThreadState;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A source's state in plain maps: for measuring the engine alone, without Kafka's stores. */
public final class MemorySourceStore implements SourceStore {

    private final Map<Long, TaskState> tasks = new HashMap<>();
    private final Map<String, ThreadState> threads = new HashMap<>();
    private final Set<Long> unknown = new HashSet<>();
    private SourceState state = new SourceState();

    @Override
    public TaskState get(long spanId) {
        return tasks.get(spanId);
    }

    @Override
    public void putTask(TaskState task) {
        tasks.put(task.spanId, task);
    }

    @Override
    public void removeTask(long spanId) {
        tasks.remove(spanId);
    }

    @Override
    public ThreadState thread(String threadId) {
        return threads.get(threadId);
    }

    @Override
    public void putThread(String threadId, ThreadState thread) {
        threads.put(threadId, thread);
    }

    @Override
    public SourceState source() {
        return state;
    }

    @Override
    public void putSource(SourceState s) {
        state = s;
    }

    @Override
    public boolean firstUnknownWake(long spanId) {
        return unknown.add(spanId);
    }

    @Override
    public void clearUnknownWake(long spanId) {
        unknown.remove(spanId);
    }

    @Override
    public void clearTasksAndThreads() {
        tasks.clear();
        threads.clear();
    }

    public int liveTasks() {
        return tasks.size();
    }
}
