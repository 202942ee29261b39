package io.tokiowakes.topology;

import io.tokiowakes.ingest.TraceRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;
import java.util.Map;

/**
 * The {@link TaskSpanFilter} on Kafka Streams, in the input partition's own task. What passes is
 * packed per source into batches ({@link Outbox}) that cross to the wake stage keyed by source,
 * so that one source's records meet in one place. Every batch, and a heartbeat sent to every
 * wake-stage partition at each flush, carries how far this partition has been read: up to the
 * earliest record still in the outbox or held by the filter.
 */
class TaskSpanFilterProcessor extends ContextualProcessor<byte[], Decoded, String, byte[]> {

    static final String STORE = "task-span-index";
    static final String HELD_STORE = "held-span-records";
    static final String OUTBOX_STORE = "outbox";
    /** Batches leave at least this often, and a heartbeat goes with them. */
    static final long FLUSH_MS = 20;
    /** The key of a heartbeat on the repartition topic (no source is empty). */
    static final String HEARTBEAT_KEY = "";

    private final InputProgress progress;
    private final JobMetrics metrics;
    private final long windowMs;
    private TaskSpanFilter filter;
    private Outbox outbox;
    private int partition;
    /** Highest Kafka timestamp read from this partition: the partition is read up to there. */
    private long readUpTo = Long.MIN_VALUE;

    TaskSpanFilterProcessor(InputProgress progress, JobMetrics metrics, long windowMs) {
        this.progress = progress;
        this.metrics = metrics;
        this.windowMs = windowMs;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        partition = context.taskId().partition();
        readUpTo = Long.MIN_VALUE;
        filter = new TaskSpanFilter(Table.of(context.getStateStore(STORE)), Table.of(context.getStateStore(HELD_STORE)),
                windowMs);
        outbox = new Outbox(Table.of(context.getStateStore(OUTBOX_STORE)), partition);
        context.schedule(Duration.ofMillis(FLUSH_MS), PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<byte[], Decoded> in) {
        readUpTo = Math.max(readUpTo, in.timestamp());
        if (!in.value().isOk()) {
            return; // the dead-letter branch has it
        }
        TraceRecord r = in.value().record();
        metrics.recordIn(r.type());
        filter.accept(r, in.timestamp(), this::keep);
    }

    private void keep(TraceRecord r, long producedMs) {
        if (outbox.append(r.source(), new Held(r, producedMs))) {
            send(r.source(), outbox.take(r.source(), claim()), producedMs);
        }
    }

    /**
     * Sends every open batch, then tells every wake-stage partition how far this input partition
     * has been read: as far as its records go, or further once it is known to be read to the end
     * of its log.
     */
    private void flush(long nowMs) {
        readUpTo = Math.max(readUpTo, progress.readUpTo(partition));
        filter.expire(readUpTo);
        long claim = Math.min(readUpTo, filter.oldestHeldMs() == Long.MAX_VALUE ? Long.MAX_VALUE : filter.oldestHeldMs() - 1);
        for (Map.Entry<String, byte[]> batch : outbox.drain(claim)) {
            send(batch.getKey(), batch.getValue(), nowMs);
        }
        send(HEARTBEAT_KEY, BatchCodec.encode(Batch.heartbeat(partition, claim)), nowMs);
    }

    /** What this partition can claim to have sent: everything read before its earliest record still here. */
    private long claim() {
        long pending = Math.min(outbox.oldestProducedMs(), filter.oldestHeldMs());
        return pending == Long.MAX_VALUE ? readUpTo : Math.min(readUpTo, pending - 1);
    }

    private void send(String key, byte[] batch, long timestamp) {
        // No headers: nothing downstream reads them, and copying them costs every record.
        context().forward(new Record<>(key, batch, timestamp));
    }
}
