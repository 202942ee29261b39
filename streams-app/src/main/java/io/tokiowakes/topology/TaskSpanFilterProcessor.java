package io.tokiowakes.topology;

import io.tokiowakes.ingest.TraceRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;

/**
 * The {@link TaskSpanFilter} on Kafka Streams, in the input partition's own task. What passes is
 * re-keyed by source, so that one source's records meet in one place, and carries how far this
 * partition has been read.
 */
class TaskSpanFilterProcessor extends ContextualProcessor<byte[], Decoded, String, Staged> {

    static final String STORE = "task-span-index";
    static final long HEARTBEAT_MS = 100;
    private static final String HEARTBEAT_KEY = "";

    private final InputProgress progress;
    private final JobMetrics metrics;
    private TaskSpanFilter filter;
    private int partition;
    /** Highest Kafka timestamp read from this partition: the partition is read up to there. */
    private long readUpTo = Long.MIN_VALUE;

    TaskSpanFilterProcessor(InputProgress progress, JobMetrics metrics) {
        this.progress = progress;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Staged> context) {
        super.init(context);
        partition = context.taskId().partition();
        readUpTo = Long.MIN_VALUE;
        filter = new TaskSpanFilter(Table.of(context.getStateStore(STORE)));
        context.schedule(Duration.ofMillis(HEARTBEAT_MS), PunctuationType.WALL_CLOCK_TIME, this::heartbeat);
    }

    @Override
    public void process(Record<byte[], Decoded> in) {
        readUpTo = Math.max(readUpTo, in.timestamp());
        if (!in.value().isOk()) {
            return; // the dead-letter branch has it
        }
        TraceRecord r = in.value().record();
        metrics.recordIn(r.type());
        if (filter.keep(r)) {
            // No headers: nothing downstream reads them, and copying them costs every record.
            context().forward(new Record<>(r.source(), new Staged(r, partition, readUpTo), in.timestamp()));
        }
    }

    /**
     * Tells every wake-stage partition how far this input partition has been read, so that they
     * can release what no record still unread here can precede: as far as its records go, or
     * further once it is known to be read to the end of its log.
     */
    private void heartbeat(long nowMs) {
        readUpTo = Math.max(readUpTo, progress.readUpTo(partition));
        context().forward(new Record<>(HEARTBEAT_KEY, new Staged(null, partition, readUpTo), nowMs));
    }
}
