package io.tokiowakes.topology;

import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.ThreadRef;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.graph.GraphCell;
import io.tokiowakes.graph.GraphSettings;
import io.tokiowakes.graph.GraphWindow;
import io.tokiowakes.graph.TaskView;
import io.tokiowakes.graph.WakeGraphProcessor;
import io.tokiowakes.model.SourceKeys;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.model.WakeKind;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The wake graph's stores are what survives a crash: at each commit they hold every change made
 * since the last one, however many of the outputs touched one view or one arrow. (A commit here
 * is what Kafka Streams does at one: each store's {@link BeforeCommitStore#flushCache}.)
 */
class WakeGraphWritesTest {

    private static final String SOURCE = "svc";
    private static final TaskRef WORKER = new TaskRef(1, null, "", "blocking", null);
    private static final TaskRef A = new TaskRef(10, 1L, "a", "task", null);
    private static final TaskRef B = new TaskRef(11, 2L, "b", "task", null);
    private static final ThreadRef THREAD = new ThreadRef("ThreadId(2)", "tokio-runtime-worker");
    private static final long MS = 1_000_000;

    @Test
    void atACommitTheStoresHoldEveryChangeSinceTheLast() {
        MockProcessorContext<String, GraphWindow> ctx = new MockProcessorContext<>();
        ctx.setCurrentSystemTimeMs(0);
        BeforeCommitStore.Registry commitHooks = new BeforeCommitStore.Registry();
        BeforeCommitStore<String, GraphCell> cells = store(ctx, WakeGraph.WINDOWS, StateSerdes.graphCells(), commitHooks);
        BeforeCommitStore<String, TaskView> views = store(ctx, WakeGraph.TASK_VIEWS, StateSerdes.taskViews(), commitHooks);
        WakeGraphProcessor graph = new WakeGraphProcessor(WakeGraph.WINDOWS, WakeGraph.TASK_VIEWS, GraphSettings.DEFAULTS,
                commitHooks::beforeCommit);
        graph.init(ctx);

        // One batch: the worker wakes A three times and B once, A wakes itself, A's next poll ends a wait.
        List<Output> batch = List.of(
                edge(1, WakeKind.RUNTIME, WORKER, A), edge(2, WakeKind.RUNTIME, WORKER, B),
                edge(3, WakeKind.RUNTIME, WORKER, A), edge(4, WakeKind.SELF, A, A),
                edge(5, WakeKind.RUNTIME, WORKER, A),
                new WakeDelay(SOURCE, 5L, 5 * MS, 6 * MS, MS, WakeKind.RUNTIME, WORKER, A));
        batch.forEach(out -> graph.process(new Record<>(out.key(), out, 0L)));
        views.flushCache();
        cells.flushCache();

        assertEquals(4, view(views, WORKER).wakesOut.size(), "the worker woke four times");
        TaskView a = view(views, A);
        assertEquals(4, a.wakesIn.size(), "A was woken four times");
        assertEquals(1, a.wakesOut.size(), "A woke itself once");
        assertEquals(List.of(MS), a.wakesIn.stream().filter(w -> w.tsNanos() == 5 * MS).map(TaskView.RecentWake::delayNanos)
                .toList(), "the delay shown on its wake");
        assertEquals(1, view(views, B).wakesIn.size());
        long counted = 0;
        long delays = 0;
        try (KeyValueIterator<String, GraphCell> it = cells.all()) {
            while (it.hasNext()) {
                KeyValue<String, GraphCell> kv = it.next();
                counted += kv.value.wakes;
                delays += kv.value.delays.count();
            }
        }
        assertEquals(5, counted, "every wake counted in its arrow's cell");
        assertEquals(1, delays, "the delay counted in its wake's cell");
    }

    private static WakeEdge edge(long seq, WakeKind kind, TaskRef waker, TaskRef wakee) {
        return new WakeEdge(SOURCE, seq, seq * MS, "waker.wake", kind, waker, wakee, THREAD, List.of());
    }

    private static TaskView view(KeyValueStore<String, TaskView> views, TaskRef task) {
        return views.get(SourceKeys.span(SOURCE, task.spanId()));
    }

    private static <V> BeforeCommitStore<String, V> store(MockProcessorContext<String, GraphWindow> ctx, String name,
                                                         Serde<V> values, BeforeCommitStore.Registry commitHooks) {
        KeyValueStore<String, V> store = BeforeCommitStore.builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values), commitHooks).withLoggingDisabled().build();
        store.init(ctx.getStateStoreContext(), store);
        ctx.addStateStore(store);
        return (BeforeCommitStore<String, V>) store;
    }
}
