package io.tokiowakes.topology;

import io.tokiowakes.engine.WakeStage;
import io.tokiowakes.engine.CachedSourceStore;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.order.InputProgress;
import io.tokiowakes.order.OrderingBuffer;
import io.tokiowakes.emit.Output;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;

/**
 * The {@link WakeStage} on Kafka Streams: its tables are the task's state stores. Each record in
 * (a batch or heartbeat) gives its outputs.
 */
class WakeProcessor extends ContextualProcessor<byte[], byte[], String, Output> {

    private final JobSettings settings;
    private final JobMetrics metrics;
    private final BeforeCommitStore.Registry commitHooks;
    private final InputProgress progress;
    private final CommitPace pace;
    private WakeStage stage;

    /**
     * @param commitHooks where the stores of this processor's task are found
     * @param progress    whether the input read here is behind its log
     * @param pace        when to ask for commits: while the input is not behind
     */
    WakeProcessor(JobSettings settings, JobMetrics metrics, BeforeCommitStore.Registry commitHooks,
                  InputProgress progress, CommitPace pace) {
        this.settings = settings;
        this.metrics = metrics;
        this.commitHooks = commitHooks;
        this.progress = progress;
        this.pace = pace;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        super.init(context);
        CachedSourceStore store = new CachedSourceStore(
                StoreTables.of(context.getStateStore(StoreNames.LIVE_TASKS)),
                StoreTables.of(context.getStateStore(StoreNames.LIVE_RESOURCES)),
                StoreTables.of(context.getStateStore(StoreNames.THREADS)),
                StoreTables.of(context.getStateStore(StoreNames.SOURCES)),
                StoreTables.of(context.getStateStore(StoreNames.UNKNOWN_WAKES)));
        // Changed state reaches each store (and its changelog) at each commit, once.
        commitHooks.beforeCommit(context.taskId(), StoreNames.LIVE_TASKS, store::writeTasks);
        commitHooks.beforeCommit(context.taskId(), StoreNames.LIVE_RESOURCES, store::writeResources);
        commitHooks.beforeCommit(context.taskId(), StoreNames.THREADS, store::writeThreads);
        commitHooks.beforeCommit(context.taskId(), StoreNames.SOURCES, store::writeSources);
        OrderingBuffer buffer = new OrderingBuffer(StoreTables.of(context.getStateStore(StoreNames.ORDERING_BUFFER)),
                store::releasedUpTo);
        stage = new WakeStage(settings.lints(), settings.reorderWindowMs(),
                settings.inputPartitions(), metrics, store, buffer, context::currentSystemTimeMs,
                (out, timestamp) -> context.forward(new Record<>(out.key(), out, timestamp)));
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, now -> stage.expireUnknownWakes());
        if (pace.isOn()) {
            // A wake task is behind while the input is: its records are the ingest's batches, which
            // it sees once the ingest commits them. It does not judge by its own lag: the age of
            // the records it gets includes how long the ingest waited to commit them, which pacing
            // itself lengthens: judged by it, live jobs stayed just past the age judged by (README,
            // Speed). Checked on the ingest's flush grid: the pace, not this schedule, spaces the asks.
            context.schedule(Duration.ofMillis(IngestProcessor.FLUSH_MS), PunctuationType.WALL_CLOCK_TIME, now -> {
                if (pace.due(now, !progress.anyBehind(now))) {
                    context.commit();
                }
            });
        }
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        stage.accept(BatchCodec.decode(in.value()), in.value(), in.timestamp());
    }
}
