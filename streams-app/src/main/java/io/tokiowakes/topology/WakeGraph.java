package io.tokiowakes.topology;

import io.tokiowakes.emit.Output;
import io.tokiowakes.graph.GraphWindow;
import io.tokiowakes.graph.WakeGraphProcessor;
import io.tokiowakes.json.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The wake-graph branch: the wake stage's outputs, still keyed by source, counted per window
 * into {@code tokio.wake-graph}, and kept for the REST API in two stores of its own. The names
 * of the stores the REST API reads are here, public.
 */
public final class WakeGraph {

    /** Wakes (count, delays to the next poll, resources waited on) per source, window, waker, wakee and kind. */
    public static final String WINDOWS = "wake-graph-windows";
    /** Recent wakes, anomalies and close of tasks, kept past their close. */
    public static final String TASK_VIEWS = "task-views";
    public static final String LIVE_TASKS = StoreNames.LIVE_TASKS;
    public static final String LIVE_RESOURCES = StoreNames.LIVE_RESOURCES;
    public static final String SOURCES = StoreNames.SOURCES;

    private WakeGraph() {
    }

    static void add(WakeTopology.JobStores stores, KStream<String, Output> outputs, JobSettings settings) {
        stores.add(WINDOWS, StateSerdes.graphCells());
        stores.add(TASK_VIEWS, StateSerdes.taskViews());
        outputs.process(() -> new WakeGraphProcessor(WINDOWS, TASK_VIEWS, settings.graph(), stores.commitHooks()::beforeCommit),
                        Named.as("wake-graph"), WINDOWS, TASK_VIEWS)
                .to(settings.topics().wakeGraph(), Produced.with(Serdes.String(), JsonSerde.of(GraphWindow.class))
                        .withName("wake-graph-out"));
    }
}
