package io.tokiowakes.topology;

import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Decoded;
import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.Outbox;
import io.tokiowakes.ingest.TaskSpanFilter;
import io.tokiowakes.order.InputProgress;
import io.tokiowakes.ingest.RecordDecoder;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.model.WriteBehindTable;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Ingest on Kafka Streams, in the input partition's own task: decode, then the
 * {@link TaskSpanFilter}. What passes is packed per source into batches ({@link Outbox}) that
 * cross to the wake stage keyed by source, so that one source's records meet in one place. Every
 * batch, and a heartbeat sent to every wake-stage partition at each flush, carries how far this
 * partition has been read: up to the earliest record still in the outbox or held by the filter.
 * A value that is not a trace record goes out as a dead letter: its original bytes and key, the
 * reason and its origin as headers, named as Kafka Streams' own dead-letter records.
 * <p>
 * One processor does all of it: most records stop here, and every node a record visits, and
 * every record object forwarded, costs each of them.
 */
class IngestProcessor extends ContextualProcessor<byte[], byte[], byte[], IngestProcessor.Outgoing> {

    /** What leaves: a batch or heartbeat for the wake stage, or a dead letter. */
    record Outgoing(byte[] value, boolean deadLetter) {
    }

    static final String HEADER_REASON = "__streams.errors.message";
    static final String HEADER_TOPIC = "__streams.errors.topic";
    static final String HEADER_PARTITION = "__streams.errors.partition";
    static final String HEADER_OFFSET = "__streams.errors.offset";

    static final String STORE = "task-span-index";
    static final String HELD_STORE = "held-span-records";
    static final String OUTBOX_STORE = "outbox";
    /** Batches leave at least this often, and a heartbeat goes with them. */
    static final long FLUSH_MS = 20;
    /** The key of a heartbeat on the repartition topic (no source is empty). */
    static final byte[] HEARTBEAT_KEY = new byte[0];

    private final RecordDecoder decoder;
    private final InputProgress progress;
    private final JobMetrics metrics;
    private final long windowMs;
    private final BeforeCommitStore.Registry commitHooks;
    private final CommitPace pace;
    private TaskSpanFilter filter;
    private Outbox outbox;
    private int partition;
    /** Highest Kafka timestamp read from this partition: the partition is read up to there. */
    private long readUpTo = Long.MIN_VALUE;
    /** The offset after the last record read (kept only when commits are paced). */
    private long position;

    /**
     * @param commitHooks where the stores of this processor's task are found
     * @param pace        when to ask for commits: while this partition is not behind its log
     */
    IngestProcessor(RecordDecoder decoder, InputProgress progress, JobMetrics metrics, long windowMs,
                    BeforeCommitStore.Registry commitHooks, CommitPace pace) {
        this.decoder = decoder;
        this.progress = progress;
        this.metrics = metrics;
        this.windowMs = windowMs;
        this.commitHooks = commitHooks;
        this.pace = pace;
    }

    @Override
    public void init(ProcessorContext<byte[], Outgoing> context) {
        super.init(context);
        partition = context.taskId().partition();
        readUpTo = Long.MIN_VALUE;
        position = 0;
        // The filter's and the outbox's state reaches the stores (and their changelogs) at each
        // commit, not at each record: most held records are let go within milliseconds, never written.
        WriteBehindTable<String> index = new WriteBehindTable<>(StoreTables.of(context.getStateStore(STORE)), false);
        WriteBehindTable<Held> held = new WriteBehindTable<>(StoreTables.of(context.getStateStore(HELD_STORE)), true);
        filter = new TaskSpanFilter(index, held, windowMs);
        outbox = new Outbox(StoreTables.of(context.getStateStore(OUTBOX_STORE)), partition);
        commitHooks.beforeCommit(context.taskId(), STORE, index::write);
        commitHooks.beforeCommit(context.taskId(), HELD_STORE, held::write);
        commitHooks.beforeCommit(context.taskId(), OUTBOX_STORE, outbox::persist);
        context.schedule(Duration.ofMillis(FLUSH_MS), PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        readUpTo = Math.max(readUpTo, in.timestamp());
        if (pace.isOn()) {
            Optional<RecordMetadata> m = context().recordMetadata();
            if (m.isPresent()) {
                position = m.get().offset() + 1;
            }
        }
        Decoded d = Decoded.of(decoder, in.value());
        if (!d.isOk()) {
            deadLetter(in, d.error());
            return;
        }
        TraceRecord r = d.record();
        metrics.recordIn(r.type());
        filter.accept(r, in.timestamp(), this::keep);
    }

    private void deadLetter(Record<byte[], byte[]> in, String reason) {
        metrics.deadLetter();
        Headers h = in.headers();
        h.add(HEADER_REASON, utf8(reason));
        context().recordMetadata().ifPresent(m -> {
            h.add(HEADER_TOPIC, utf8(m.topic()));
            h.add(HEADER_PARTITION, utf8(String.valueOf(m.partition())));
            h.add(HEADER_OFFSET, utf8(String.valueOf(m.offset())));
        });
        context().forward(in.withValue(new Outgoing(in.value(), true)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void keep(TraceRecord r, long producedMs) {
        if (outbox.append(r.source(), new Held(r, producedMs))) {
            send(utf8(r.source()), outbox.take(r.source(), claim()), producedMs);
        }
    }

    /**
     * Sends every open batch, then tells every wake-stage partition how far this input partition
     * has been read: as far as its records go, or further once it is known to be read to the end
     * of its log.
     * <p>
     * The batches themselves claim only what holds while all of them are still unsent: the wake
     * stage applies a source's records as soon as every partition claims to be read past them,
     * and the batches of one flush (one per source, several on one wake-stage partition) reach it
     * one by one, with batches of other input partitions between them. A batch claiming the whole
     * flush would let a source's records be applied past ones still in a later batch of the same
     * flush. The heartbeat, sent to every wake-stage partition after all the batches, claims the rest.
     * <p>
     * Then, unless the partition is behind its log, it asks for a commit when one is due
     * ({@link CommitPace}).
     */
    private void flush(long nowMs) {
        readUpTo = Math.max(readUpTo, progress.readUpTo(partition));
        filter.expire(readUpTo);
        long claim = Math.min(readUpTo, filter.oldestHeldMs() == Long.MAX_VALUE ? Long.MAX_VALUE : filter.oldestHeldMs() - 1);
        for (Map.Entry<String, byte[]> batch : outbox.drain(claim())) {
            send(utf8(batch.getKey()), batch.getValue(), nowMs);
        }
        send(HEARTBEAT_KEY, BatchCodec.encode(Batch.heartbeat(partition, claim)), nowMs);
        if (pace.isOn() && pace.due(nowMs, !progress.behind(partition, position, readUpTo, nowMs))) {
            context().commit();
        }
    }

    /** What this partition can claim to have sent: everything read before its earliest record still here. */
    private long claim() {
        long pending = Math.min(outbox.oldestProducedMs(), filter.oldestHeldMs());
        return pending == Long.MAX_VALUE ? readUpTo : Math.min(readUpTo, pending - 1);
    }

    private void send(byte[] key, byte[] batch, long timestamp) {
        context().forward(new Record<>(key, new Outgoing(batch, false), timestamp));
    }
}
