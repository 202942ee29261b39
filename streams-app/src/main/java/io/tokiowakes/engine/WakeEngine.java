package io.tokiowakes.engine;

import io.tokiowakes.model.SourceState;
import io.tokiowakes.classify.WakeClassifier;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.detect.Finding;
import io.tokiowakes.model.PendingWake;
import io.tokiowakes.detect.TaskLints;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.ThreadRef;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.model.WakerOp;
import io.tokiowakes.resolve.Resolution;
import io.tokiowakes.model.ResourceSpan;
import io.tokiowakes.model.ThreadState;
import io.tokiowakes.resolve.WaitsOn;
import io.tokiowakes.resolve.WakerResolver;
import io.tokiowakes.resolve.WorkerSpans;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies one source's records, in the source's order, to its state: task and resource spans open
 * and close, threads enter and exit task spans, waker clones register tasks with resources, and
 * each wake is resolved, classified and checked against the lints. Everything it finds goes to
 * the output consumer.
 */
public final class WakeEngine {

    private final TaskLints lints;

    public WakeEngine(TaskLints lints) {
        this.lints = lints;
    }

    public void apply(TraceRecord r, SourceStore store, Consumer<Output> out) {
        switch (r.type()) {
            case SPAN_NEW -> {
                if (r.isTaskSpanNew()) {
                    spawn(r, store, out);
                } else if (r.isResourceSpanNew()) {
                    store.putResource(new ResourceSpan(r.spanId(), r.parentId(), r.resource()));
                }
            }
            case SPAN_ENTER -> enter(r, store, out);
            case SPAN_EXIT -> exit(r, store, out);
            case SPAN_CLOSE -> close(r, store, out);
            case EVENT -> {
                if (r.isWakerEvent()) {
                    wakerEvent(r, store, out);
                }
            }
            default -> {
            }
        }
        advanceClock(r.source(), r.tsNanos(), store, out);
    }

    /**
     * The source's process was restarted under the same name: its span IDs start over and the
     * tasks of the old process will never close. Their state is dropped, not reported.
     */
    public void restart(SourceStore store) {
        store.clearTasksAndThreads();
        SourceState source = store.source();
        source.lostWakerWatch.clear();
        source.pollWatch.clear();
        source.scheduleWatch.clear();
        source.workerClosures.clear();
        source.clockNanos = 0;
        store.putSource(source);
    }

    private void spawn(TraceRecord r, SourceStore store, Consumer<Output> out) {
        // A span ID is unique only among live spans: a new task span starts afresh.
        TaskState task = new TaskState(r.spanId(), r.task(), r.tsNanos());
        store.clearUnknownWake(r.spanId());
        TaskState parent = r.parentId() == null ? null : store.get(r.parentId());
        if (parent != null) {
            // The registry keeps the parent's span open until this one closes.
            task.parentSpanId = parent.spanId;
            parent.liveChildren++;
            watch(parent, r.tsNanos(), store);
            store.putTask(parent);
        }
        lints.onSpawn(task, r.tsNanos(), f -> out.accept(anomaly(r.source(), task, f)));
        store.putTask(task);
    }

    private void enter(TraceRecord r, SourceStore store, Consumer<Output> out) {
        TaskState task = store.get(r.spanId());
        if (task == null) {
            return;
        }
        if (r.threadId() != null) {
            ThreadState thread = threadOf(r, store);
            if (task.info.isAsync()) {
                TaskState host = WorkerSpans.hostOfPoll(thread, store);
                if (host != null && !host.runsTasks) {
                    learnWorkerSpan(host, store);
                }
            }
            thread.enter(r.spanId());
            store.putThread(r.threadId(), thread);
        }
        List<PendingWake> ended = task.onEnter(r.tsNanos());
        if (!ended.isEmpty()) {
            TaskRef wakee = TaskRef.of(task);
            for (PendingWake w : ended) {
                out.accept(new WakeDelay(r.source(), w.seq(), w.tsNanos(), r.tsNanos(),
                        Math.max(0, r.tsNanos() - w.tsNanos()), w.kind(), w.waker(), wakee));
            }
            lints.onPollStart(task, ended, r.tsNanos(), f -> out.accept(anomaly(r.source(), task, f)));
            SourceState source = store.source();
            if (source.scheduleWatch.remove(task.spanId)) {
                store.putSource(source);
            }
        }
        if (task.running == 1 && lints.watchesPoll(task)) {
            SourceState source = store.source();
            source.pollWatch.add(task.spanId);
            store.putSource(source);
        }
        watch(task, r.tsNanos(), store);
        store.putTask(task);
    }

    /** A task was polled inside this blocking span: it runs the worker loop, and so do its siblings. */
    private static void learnWorkerSpan(TaskState span, SourceStore store) {
        span.runsTasks = true;
        store.putTask(span);
        String closure = span.info.closure();
        SourceState source = store.source();
        if (closure != null && source.workerClosures.add(closure)) {
            store.putSource(source);
        }
    }

    private void exit(TraceRecord r, SourceStore store, Consumer<Output> out) {
        TaskState task = store.get(r.spanId());
        if (task == null) {
            return;
        }
        if (r.threadId() != null) {
            ThreadState thread = threadOf(r, store);
            thread.exit(r.spanId());
            store.putThread(r.threadId(), thread);
        }
        task.onExit(r.tsNanos());
        if (task.running == 0) {
            lints.onPollEnd(task, r.tsNanos(), f -> out.accept(anomaly(r.source(), task, f)));
            SourceState source = store.source();
            if (source.pollWatch.remove(task.spanId)) {
                store.putSource(source);
            }
        }
        watch(task, r.tsNanos(), store);
        store.putTask(task);
    }

    private void close(TraceRecord r, SourceStore store, Consumer<Output> out) {
        if (store.resource(r.spanId()) != null) {
            // A span ID is unique among live spans: a live resource's ID is no live task's.
            store.removeResource(r.spanId());
            return;
        }
        TaskState task = store.get(r.spanId());
        if (task == null) {
            return;
        }
        task.onClose();
        lints.onClose(task, r.tsNanos(), f -> out.accept(anomaly(r.source(), task, f)));
        out.accept(TaskSummary.of(r.source(), task, r.tsNanos()));
        store.removeTask(r.spanId());
        SourceState source = store.source();
        boolean watched = source.lostWakerWatch.remove(r.spanId());
        watched |= source.pollWatch.remove(r.spanId());
        watched |= source.scheduleWatch.remove(r.spanId());
        if (watched) {
            store.putSource(source);
        }
        releaseParent(task, r.tsNanos(), store);
    }

    /**
     * A child task span closed: its parent's span may close now. A parent created after the
     * child is another task that reused the span ID (the parent's own close was lost).
     */
    private void releaseParent(TaskState child, long ts, SourceStore store) {
        if (child.parentSpanId == 0) {
            return;
        }
        TaskState parent = store.get(child.parentSpanId);
        if (parent == null || parent.liveChildren <= 0 || parent.createdNanos > child.createdNanos) {
            return;
        }
        parent.liveChildren--;
        watch(parent, ts, store);
        store.putTask(parent);
    }

    private void wakerEvent(TraceRecord r, SourceStore store, Consumer<Output> out) {
        long wakeeId = r.wakeeSpanId();
        TaskState wakee = store.get(wakeeId);
        if (r.wakerOp().isWake()) {
            ThreadState thread = r.threadId() == null ? null : threadOf(r, store);
            Resolution resolution = WakerResolver.resolve(r, thread, store, store.source().workerClosures);
            WakeKind kind = WakeClassifier.classify(resolution, wakeeId);
            List<ResourceRef> waitsOn = wakee == null ? List.of() : WaitsOn.refs(wakee.waitsOn, store);
            if (r.threadId() == null) {
                kind = WakeClassifier.withoutThread(kind, waitsOn);
            }
            TaskState waker = resolution.current() != null ? resolution.current() : resolution.workerSpan();
            TaskRef wakerRef = waker == null ? null : TaskRef.of(waker);
            out.accept(new WakeEdge(r.source(), r.seq(), r.tsNanos(), r.wakerOp().wire(), kind, wakerRef,
                    wakee == null ? TaskRef.unknown(wakeeId) : TaskRef.of(wakee),
                    new ThreadRef(r.threadId(), r.threadName()), waitsOn));
            if (wakee == null) {
                if (store.firstUnknownWake(wakeeId)) {
                    out.accept(new Anomaly(AnomalyType.WAKE_OF_UNKNOWN_TASK, r.source(), r.tsNanos(),
                            TaskRef.unknown(wakeeId), "a " + r.wakerOp().wire() + " names span "
                            + Long.toUnsignedString(wakeeId) + ", which is not a live task", null));
                }
                return;
            }
            wakee.onWakerOp(r.wakerOp(), kind, r.tsNanos());
            wakee.woken(new PendingWake(r.seq(), r.tsNanos(), kind, wakerRef), waitsOn);
            if (lints.watchesWait(wakee)) {
                SourceState source = store.source();
                source.scheduleWatch.add(wakee.spanId);
                store.putSource(source);
            }
            if (r.threadId() == null) {
                wakee.onWakeWithoutThread(kind);
            }
            lints.onWake(wakee, r.tsNanos(), f -> out.accept(anomaly(r.source(), wakee, f)));
        } else {
            if (wakee == null) {
                return;
            }
            wakee.onWakerOp(r.wakerOp(), null, r.tsNanos());
            if (r.wakerOp() == WakerOp.CLONE) {
                long resource = WaitsOn.resourceOf(r.parentId(), store);
                if (resource != 0) {
                    wakee.registeredWith(resource);
                }
            }
        }
        watch(wakee, r.tsNanos(), store);
        store.putTask(wakee);
    }

    private ThreadState threadOf(TraceRecord r, SourceStore store) {
        ThreadState thread = store.thread(r.threadId());
        if (thread == null) {
            thread = new ThreadState();
        }
        thread.name = r.threadName();
        return thread;
    }

    private void watch(TaskState task, long ts, SourceStore store) {
        lints.updateLostWakerWatch(task, ts);
        SourceState source = store.source();
        boolean changed = task.lostWakerSinceNanos >= 0
                ? source.lostWakerWatch.add(task.spanId)
                : source.lostWakerWatch.remove(task.spanId);
        if (changed) {
            store.putSource(source);
        }
    }

    /**
     * The source's clock moved: tasks that looked lost for the whole grace period are reported,
     * and so are polls in progress that have lasted the long-poll threshold and waits for a poll
     * that have lasted the scheduling-delay threshold.
     */
    private void advanceClock(String sourceName, long ts, SourceStore store, Consumer<Output> out) {
        SourceState source = store.source();
        if (ts <= source.clockNanos) {
            return;
        }
        source.clockNanos = ts;
        for (Iterator<Long> it = source.lostWakerWatch.iterator(); it.hasNext(); ) {
            TaskState task = store.get(it.next());
            if (task == null) {
                it.remove();
                continue;
            }
            if (lints.checkLostWaker(task, ts, f -> out.accept(anomaly(sourceName, task, f)))) {
                it.remove();
                store.putTask(task);
            }
        }
        for (Iterator<Long> it = source.pollWatch.iterator(); it.hasNext(); ) {
            TaskState task = store.get(it.next());
            if (task == null) {
                it.remove();
                continue;
            }
            if (lints.checkPollInProgress(task, ts, f -> out.accept(anomaly(sourceName, task, f)))) {
                it.remove();
                store.putTask(task);
            }
        }
        // Waits in the order they began: once one has not lasted the threshold, later ones have not.
        for (Iterator<Long> it = source.scheduleWatch.iterator(); it.hasNext(); ) {
            TaskState task = store.get(it.next());
            if (task == null) {
                it.remove();
                continue;
            }
            if (!lints.checkWait(task, ts, f -> out.accept(anomaly(sourceName, task, f)))) {
                break;
            }
            it.remove();
            store.putTask(task);
        }
        store.putSource(source);
    }

    private static Anomaly anomaly(String source, TaskState task, Finding f) {
        Long wakes = f.type() == AnomalyType.EXTERNAL_ONLY_WAKES || f.type() == AnomalyType.SELF_WAKE_DOMINANT
                ? task.wakes() : null;
        return new Anomaly(f.type(), source, f.tsNanos(), TaskRef.withLocation(task), f.detail(), wakes);
    }
}
