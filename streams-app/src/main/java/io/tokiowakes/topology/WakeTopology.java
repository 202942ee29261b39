package io.tokiowakes.topology;

import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.order.InputProgress;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.Output;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The job: ingest -> resolve -> classify -> detect -> emit.
 * <pre>
 *   tokio.trace --decode--> (invalid) --> tokio.trace.dlq
 *               --filter task spans (by span partition)--> repartition by source
 *               --order, resolve, classify, detect--> tokio.wake-edges | tokio.wake-delays | tokio.anomalies
 *                                                    | tokio.task-summaries
 *                                                    --count per window--> tokio.wake-graph
 * </pre>
 * Every command builds its topology here: {@code run} on a broker, {@code analyze} and the
 * tests in-process.
 */
public final class WakeTopology {

    /** The stores of the wake path, in data-path order (the wake graph's are in {@link WakeGraph}). */
    public static final List<String> STATE_STORES = List.of(IngestProcessor.STORE,
            IngestProcessor.HELD_STORE, IngestProcessor.OUTBOX_STORE, StoreNames.ORDERING_BUFFER,
            StoreNames.LIVE_TASKS, StoreNames.LIVE_RESOURCES, StoreNames.THREADS, StoreNames.SOURCES,
            StoreNames.UNKNOWN_WAKES);

    private WakeTopology() {
    }

    /** The topology for in-process runs, where everything piped in has been read. */
    public static Topology build(JobSettings settings, JobMetrics metrics) {
        return build(settings, metrics, InputProgress.EVERYTHING_READ);
    }

    public static Topology build(JobSettings settings, JobMetrics metrics, InputProgress progress) {
        Topics topics = settings.topics();
        StreamsBuilder builder = new StreamsBuilder();
        BeforeCommitStore.Registry commitHooks = new BeforeCommitStore.Registry();
        JobStores stores = new JobStores(builder, commitHooks, settings.inMemoryStores());
        addStores(stores);
        Serde<Output> outputs = WireFormats.outputSerde(settings);

        // The input key (the span ID) is never read: it stays bytes, and a dead letter keeps it as it came.
        // Each input record visits one node; what leaves it (batches, heartbeats, dead letters) is rare.
        Map<String, KStream<byte[], IngestProcessor.Outgoing>> ingested = builder
                .stream(topics.input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("trace-input"))
                .process(() -> new IngestProcessor(WireFormats.inputDecoder(settings), progress, metrics,
                                settings.reorderWindowMs(), commitHooks, CommitPace.of(settings)), Named.as("ingest"),
                        IngestProcessor.STORE, IngestProcessor.HELD_STORE, IngestProcessor.OUTBOX_STORE)
                .split(Named.as("ingested-"))
                .branch((k, o) -> o.deadLetter(), Branched.as("dead-letters"))
                .defaultBranch(Branched.as("batches"));

        ingested.get("ingested-dead-letters")
                .mapValues(IngestProcessor.Outgoing::value, Named.as("original-bytes"))
                .to(topics.deadLetter(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letter"));

        KStream<String, Output> results = ingested.get("ingested-batches")
                .mapValues(IngestProcessor.Outgoing::value, Named.as("batch-bytes"))
                .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withStreamPartitioner(new SourcePartitioner()).withName("by-source"))
                .process(() -> new WakeProcessor(settings, metrics, commitHooks, progress,
                                CommitPace.of(settings)), Named.as("resolve-wakes"),
                        StoreNames.LIVE_TASKS, StoreNames.LIVE_RESOURCES, StoreNames.THREADS, StoreNames.SOURCES,
                        StoreNames.UNKNOWN_WAKES, StoreNames.ORDERING_BUFFER);
        WakeGraph.add(stores, results, settings);
        results.split(Named.as("emit-"))
                .branch((k, o) -> o instanceof WakeEdge, Branched.withConsumer(
                        s -> s.to(topics.wakeEdges(), produced("wake-edges", outputs)), "wake-edges"))
                .branch((k, o) -> o instanceof WakeDelay, Branched.withConsumer(
                        s -> s.to(topics.wakeDelays(), produced("wake-delays", outputs)), "wake-delays"))
                .branch((k, o) -> o instanceof Anomaly, Branched.withConsumer(
                        s -> s.to(topics.anomalies(), produced("anomalies", outputs)), "anomalies"))
                .branch((k, o) -> o instanceof TaskSummary, Branched.withConsumer(
                        s -> s.to(topics.taskSummaries(), produced("task-summaries", outputs)), "task-summaries"))
                .noDefaultBranch();
        return builder.build();
    }

    private static Produced<String, Output> produced(String name, Serde<Output> outputs) {
        return Produced.with(Serdes.String(), outputs).withName(name);
    }

    private static void addStores(JobStores stores) {
        // Stores that grow with the fleet (tasks, resources, stray span IDs) follow state.stores.
        stores.add(IngestProcessor.STORE, Serdes.String());
        // Records of spans not seen yet and the batches not sent yet: what a few milliseconds bring.
        stores.addInMemory(IngestProcessor.HELD_STORE, new HeldSerde());
        stores.addInMemory(IngestProcessor.OUTBOX_STORE, Serdes.ByteArray());
        stores.add(StoreNames.LIVE_TASKS, StateSerdes.tasks());
        stores.add(StoreNames.LIVE_RESOURCES, StateSerdes.resources());
        stores.add(StoreNames.UNKNOWN_WAKES, Serdes.String());
        // Small ones stay in memory (still changelogged): a few entries per thread and source, and
        // the records of one ordering window, each written and deleted within a second.
        stores.addInMemory(StoreNames.THREADS, StateSerdes.threads());
        stores.addInMemory(StoreNames.SOURCES, StateSerdes.sources());
        // Every batch of held records is written once and deleted once, each under a key of its own:
        // the changelog is nearly all tombstones. Short segments and a short tombstone retention keep
        // it to minutes of traffic, which is what a restore (every restart, the store being in
        // memory) reads, instead of Kafka's default day.
        stores.add(true, StoreNames.ORDERING_BUFFER, Serdes.ByteArray(), Map.of(
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofMinutes(1).toMillis()),
                TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(Duration.ofMinutes(10).toMillis()),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1"), true);
    }

    /**
     * The job's key-value stores: keyed by string, changelogged, and each a {@link BeforeCommitStore},
     * so that its processor can write what it keeps in memory at each commit. Such a store is
     * written once a commit, each key at most once, so Kafka Streams' record cache in front of it
     * would only copy every write into the cache and out again at the same commit: it has none.
     * The ordering buffer, written and deleted per batch within a commit or two, has one (a batch
     * put and deleted between two commits reaches the changelog once, as its tombstone).
     *
     * @param inMemory whether the stores that grow with the fleet are kept in memory
     *                 ({@code state.stores}); the others always are
     */
    record JobStores(StreamsBuilder builder, BeforeCommitStore.Registry commitHooks, boolean inMemory) {

        /** A store in memory or in RocksDB, as {@code state.stores} says. */
        <V> void add(String name, Serde<V> values) {
            add(inMemory, name, values, Map.of(), false);
        }

        /** A store always in memory. */
        <V> void addInMemory(String name, Serde<V> values) {
            add(true, name, values, Map.of(), false);
        }

        /** A store in memory or in RocksDB, with Kafka Streams' record cache in front if {@code cached}. */
        <V> void add(boolean inMemory, String name, Serde<V> values, Map<String, String> changelogConfig, boolean cached) {
            StoreBuilder<KeyValueStore<String, V>> store = BeforeCommitStore.builder(Stores.keyValueStoreBuilder(inMemory
                    ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), Serdes.String(), values), commitHooks)
                    .withLoggingEnabled(changelogConfig);
            builder.addStateStore(cached ? store.withCachingEnabled() : store.withCachingDisabled());
        }
    }
}
