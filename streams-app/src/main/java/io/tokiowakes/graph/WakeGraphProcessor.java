package io.tokiowakes.graph;

import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.SourceKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Counts each source's wakes per window and per (waker, wakee, kind), with the delays from them to
 * the wakee's next polls and the resources it waited on ({@link GraphCell}), and keeps a
 * {@link TaskView} of every task that woke, was woken, was flagged or closed. It runs in the wake stage's task
 * (outputs are keyed by source there), so one source's graph lives with its live tasks.
 * Updated windows go out on a wall-clock punctuation, not per wake: the topic gets at most one
 * record per source and window every {@code graph.emit.ms}. Windows are of the source's trace
 * time ({@code ts_nanos}), like everything else the job reports; they and the task views are
 * kept for {@code graph.retention.ms} of the source's trace time, and all of a source's are
 * dropped once it has sent nothing for that long (wall clock), so sources that went away go.
 * <p>
 * Changed views and cells are written to their stores at each commit, once however often they
 * changed since the last one.
 */
public final class WakeGraphProcessor extends ContextualProcessor<String, Output, String, GraphWindow> {

    /** Runs an action at every commit of a task, before the named store of the task is committed. */
    @FunctionalInterface
    public interface BeforeCommit {
        void register(TaskId task, String store, Runnable action);
    }

    private final String windowsStore;
    private final String viewsStore;
    private final GraphSettings settings;
    private final BeforeCommit beforeCommit;
    private KeyValueStore<String, GraphCell> windows;
    private KeyValueStore<String, TaskView> views;
    /**
     * Recently changed views and cells, in memory in front of their stores: a task's view changes
     * with each of its wakes and delays, a cell with each wake and delay of its arrow, and reading
     * one back from its store costs a deserialization each time.
     */
    private final Map<String, TaskView> recentViews = lru();
    private final Map<String, GraphCell> recentCells = lru();
    private static final int RECENT = 10_000;
    /**
     * Changed since the last commit: written then, once each however often they changed (a
     * worker's view changes with every wake it makes, a cell with every wake of its arrow).
     */
    private final Map<String, TaskView> dirtyViews = new HashMap<>();
    private final Map<String, GraphCell> dirtyCells = new HashMap<>();
    /** Source and window start of windows that changed since they were last written. */
    private final Set<KeyValue<String, Long>> dirty = new LinkedHashSet<>();
    private long lastPurgeMs;
    /** Per source: the latest trace time (ms) seen, and when (wall clock) it was last heard from. */
    private final Map<String, Long> latestTraceMs = new HashMap<>();
    private final Map<String, Long> lastHeardMs = new HashMap<>();

    /**
     * @param windowsStore name of the store of wake counts per window
     * @param viewsStore   name of the store of task views
     * @param settings     windows, retention and emit interval ({@code graph.*})
     * @param beforeCommit where the processor asks to write its changes at each commit
     */
    public WakeGraphProcessor(String windowsStore, String viewsStore, GraphSettings settings, BeforeCommit beforeCommit) {
        this.windowsStore = windowsStore;
        this.viewsStore = viewsStore;
        this.settings = settings;
        this.beforeCommit = beforeCommit;
    }

    @Override
    public void init(ProcessorContext<String, GraphWindow> context) {
        super.init(context);
        windows = context.getStateStore(windowsStore);
        views = context.getStateStore(viewsStore);
        recentViews.clear();
        recentCells.clear();
        dirtyViews.clear();
        dirtyCells.clear();
        // After a restart the last writes of a window may not have gone out: write them all again.
        latestTraceMs.clear();
        lastHeardMs.clear();
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, GraphCell> it = windows.all()) {
            while (it.hasNext()) {
                WindowKeys.Cell c = WindowKeys.parse(it.next().key);
                dirty.add(KeyValue.pair(c.source(), c.windowStartMs()));
                // A lower bound of the source's trace time until it sends again: purges keep more, not less.
                latestTraceMs.merge(c.source(), c.windowStartMs(), Math::max);
                lastHeardMs.put(c.source(), now);
            }
        }
        context.schedule(Duration.ofMillis(settings.emitMs()), PunctuationType.WALL_CLOCK_TIME, this::tick);
        // Each store gets its own changes only: a store committed before the other in the same
        // commit would miss what the other's action wrote into it.
        beforeCommit.register(context.taskId(), windowsStore, this::writeCells);
        beforeCommit.register(context.taskId(), viewsStore, this::writeViews);
    }

    @Override
    public void process(Record<String, Output> in) {
        Output out = in.value();
        String source = out.source();
        long at = Math.floorDiv(out.tsNanos(), 1_000_000L);
        latestTraceMs.merge(source, at, Math::max);
        lastHeardMs.put(source, context().currentSystemTimeMs());
        if (out instanceof WakeDelay d) {
            delayed(d);
        } else if (out instanceof WakeEdge e) {
            count(e, at);
            if (e.waker() != null) {
                update(e.source(), e.waker(), at, v -> v.woke(e));
            }
            update(e.source(), e.wakee(), at, v -> v.wokenBy(e));
        } else if (out instanceof Anomaly a) {
            update(a.source(), a.task(), at, v -> v.flagged(a));
        } else if (out instanceof TaskSummary s) {
            update(s.source(), s.task(), at, v -> v.closed(s));
        }
    }

    private void count(WakeEdge e, long at) {
        long start = windowStart(at);
        String key = WindowKeys.key(new WindowKeys.Cell(e.source(), start,
                TaskLabel.waker(e.waker(), e.kind()), TaskLabel.of(e.wakee()), e.kind()));
        GraphCell cell = cell(key);
        if (cell == null) {
            cell = new GraphCell();
        }
        cell.woke(e.waitsOn());
        put(key, cell);
        dirty.add(KeyValue.pair(e.source(), start));
    }

    /**
     * A wake's delay goes to the cell its edge was counted in (the window of the wake's time), and
     * to the wakee's view. A cell that is gone (its window dropped meanwhile) is not made again.
     */
    private void delayed(WakeDelay d) {
        long start = windowStart(Math.floorDiv(d.wakeTsNanos(), 1_000_000L));
        String key = WindowKeys.key(new WindowKeys.Cell(d.source(), start,
                TaskLabel.waker(d.waker(), d.kind()), TaskLabel.of(d.wakee()), d.kind()));
        GraphCell cell = cell(key);
        if (cell != null) {
            cell.delayed(d.delayNanos());
            put(key, cell);
            dirty.add(KeyValue.pair(d.source(), start));
        }
        update(d.source(), d.wakee(), Math.floorDiv(d.tsNanos(), 1_000_000L), v -> v.delayed(d));
    }

    private long windowStart(long atMs) {
        return atMs - Math.floorMod(atMs, settings.windowMs());
    }

    private GraphCell cell(String key) {
        return latest(key, dirtyCells, recentCells, windows);
    }

    /**
     * A value as it is now: changed and not yet written, else recently used, else in its store
     * (null if none). The changed ones come first: one batch can change more than the recent ones hold.
     */
    private static <V> V latest(String key, Map<String, V> changed, Map<String, V> recent, KeyValueStore<String, V> store) {
        V v = changed.get(key);
        if (v == null) {
            v = recent.get(key);
        }
        return v != null ? v : store.get(key);
    }

    private void put(String key, GraphCell cell) {
        dirtyCells.put(key, cell);
        recentCells.put(key, cell);
    }

    /** Writes the cells changed since the last write to their store. */
    private void writeCells() {
        dirtyCells.forEach(windows::put);
        dirtyCells.clear();
    }

    /** Writes the views changed since the last write to their store. */
    private void writeViews() {
        dirtyViews.forEach(views::put);
        dirtyViews.clear();
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > RECENT;
            }
        };
    }

    private void update(String source, TaskRef task, long at, java.util.function.Consumer<TaskView> change) {
        String key = SourceKeys.span(source, task.spanId());
        TaskView v = latest(key, dirtyViews, recentViews, views);
        if (v == null) {
            v = new TaskView(task.spanId());
        }
        v.about(task, at);
        change.accept(v);
        dirtyViews.put(key, v);
        recentViews.put(key, v);
    }

    private void tick(long nowMs) {
        // The windows are read, and expired ones deleted, from the stores: everything goes there first.
        writeCells();
        writeViews();
        for (KeyValue<String, Long> w : dirty) {
            GraphWindow g = read(w.key, w.value);
            if (!g.wakes().isEmpty()) {
                context().forward(new Record<>(g.key(), g, nowMs));
            }
        }
        dirty.clear();
        if (nowMs - lastPurgeMs >= Math.min(settings.windowMs(), 60_000)) {
            lastPurgeMs = nowMs;
            purge(nowMs);
        }
    }

    private GraphWindow read(String source, long start) {
        List<GraphWindow.Count> counts = new ArrayList<>();
        String prefix = WindowKeys.window(source, start);
        try (KeyValueIterator<String, GraphCell> it = windows.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, GraphCell> kv = it.next();
                counts.add(GraphWindow.Count.of(WindowKeys.parse(kv.key), kv.value));
            }
        }
        return new GraphWindow(source, start, start + settings.windowMs(), counts);
    }

    /**
     * Drops windows that ended, and task views last changed, more than the retention before their
     * source's latest trace time; and everything of a source not heard from for the retention.
     */
    private void purge(long nowMs) {
        long retention = settings.retentionMs();
        Set<String> silent = new HashSet<>();
        lastHeardMs.forEach((source, heard) -> {
            if (heard < nowMs - retention) {
                silent.add(source);
            }
        });
        List<String> old = new ArrayList<>();
        // A source's windows in time order are one key range: the expired ones are its head.
        Set<String> sources = new HashSet<>(latestTraceMs.keySet());
        sources.addAll(silent);
        for (String source : sources) {
            long keptFrom = silent.contains(source) ? Long.MAX_VALUE : firstKeptWindow(latestTraceMs.get(source));
            if (keptFrom <= 0) {
                continue;
            }
            try (KeyValueIterator<String, GraphCell> it = windows.range(WindowKeys.source(source), WindowKeys.window(source, keptFrom))) {
                it.forEachRemaining(kv -> old.add(kv.key));
            }
        }
        old.forEach(windows::delete);
        old.forEach(recentCells::remove);
        old.clear();
        // A view expires by its last change, which moves with each wake of its task: an index by
        // that time would cost every wake to spare this scan, made at most once a minute.
        try (KeyValueIterator<String, TaskView> it = views.all()) {
            while (it.hasNext()) {
                KeyValue<String, TaskView> kv = it.next();
                if (expired(SourceKeys.sourceOf(kv.key), kv.value.updatedMs, silent, nowMs)) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(views::delete);
        old.forEach(recentViews::remove);
        silent.forEach(source -> {
            latestTraceMs.remove(source);
            lastHeardMs.remove(source);
        });
    }

    /**
     * Start (ms) of the source's earliest window kept: one that ends no earlier than the retention
     * before its latest trace time (window starts are multiples of the width).
     */
    private long firstKeptWindow(long latestMs) {
        long earliestStart = latestMs - settings.retentionMs() - settings.windowMs();
        return earliestStart + Math.floorMod(-earliestStart, settings.windowMs());
    }

    /** Whether something of the source last changed at trace time {@code atMs} is past the retention. */
    private boolean expired(String source, long atMs, Set<String> silent, long nowMs) {
        if (silent.contains(source)) {
            return true;
        }
        Long latest = latestTraceMs.get(source);
        if (latest == null) {
            // Kept from before a restart and not heard from since: silent from now on.
            lastHeardMs.putIfAbsent(source, nowMs);
            return false;
        }
        return atMs < latest - settings.retentionMs();
    }
}
