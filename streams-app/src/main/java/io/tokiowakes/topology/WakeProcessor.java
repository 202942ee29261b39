package io.tokiowakes.topology;

import io.tokiowakes.engine.WakeStage;
import io.tokiowakes.engine.CachedSourceStore;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Held;
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
    private final CommitPace pace;
    /** A wake task whose records are this many backlog intervals old (or less) is not behind. */
    static final int LIVE_LAGS = 4;
    private WakeStage stage;
    /** The newest input timestamp (ms) of the records received (kept only when commits are paced). */
    private long newestMs = Long.MIN_VALUE;

    /**
     * @param commitHooks where the stores of this processor's task are found
     * @param pace        when to ask for commits: while the records received are recent
     */
    WakeProcessor(JobSettings settings, JobMetrics metrics, BeforeCommitStore.Registry commitHooks, CommitPace pace) {
        this.settings = settings;
        this.metrics = metrics;
        this.commitHooks = commitHooks;
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
        newestMs = Long.MIN_VALUE;
        if (pace.isOn()) {
            // This task cannot see how far the repartition topic's log is ahead of it; the input
            // timestamps of its records (clocks agreeing within a window, as the ordering needs)
            // say how far it is behind the input. It counts as caught up for LIVE_LAGS backlog
            // intervals: a live job paused for a moment (a collection, a compile) keeps its short
            // commits while its ingest catches up, rather than lengthening them and falling further
            // behind; a backlog's records are older than that. And for two windows more: records
            // are applied up to two windows after they arrive (a partition that gets no records is
            // claimed from its log end, a window early). Checked on the ingest's flush grid: the
            // pace, not this schedule, spaces the asks.
            long caughtUpMs = LIVE_LAGS * settings.backlogCommitMs() + 2 * settings.reorderWindowMs();
            context.schedule(Duration.ofMillis(IngestProcessor.FLUSH_MS), PunctuationType.WALL_CLOCK_TIME, now -> {
                if (pace.due(now, newestMs >= now - caughtUpMs)) {
                    context.commit();
                }
            });
        }
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        Batch batch = BatchCodec.decode(in.value());
        if (pace.isOn()) {
            for (Held h : batch.records()) {
                newestMs = Math.max(newestMs, h.producedMs());
            }
        }
        stage.accept(batch, in.value(), in.timestamp());
    }
}
