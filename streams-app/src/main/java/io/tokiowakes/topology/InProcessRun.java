package io.tokiowakes.topology;

import io.tokiowakes.engine.WakeStage;
import io.tokiowakes.engine.CachedSourceStore;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.Decoded;
import io.tokiowakes.order.OrderingBuffer;
import io.tokiowakes.model.Table;
import io.tokiowakes.ingest.TaskSpanFilter;
import io.tokiowakes.emit.Output;
import io.tokiowakes.ingest.RecordDecoder;
import io.tokiowakes.model.TraceRecord;

import java.util.List;

/**
 * The job's data path for a captured trace, in one thread and without Kafka: the same decoder,
 * filter and wake stage as {@link WakeTopology}, their tables in memory, one input partition.
 * A file is read whole before anything is applied: the records that pass the filter are held
 * (about a quarter of a trace) and applied in each source's {@code seq} order at the end, so the
 * results do not depend on how the records of different threads are interleaved in the file,
 * however far apart.
 */
public final class InProcessRun {

    /** What the run produces: outputs, and the records the job would send to the dead-letter topic. */
    public interface Sink {
        void output(Output out);

        void rejected(byte[] value, String reason);
    }

    private static final int PARTITION = 0;
    private static final byte[] NOT_STORED = new byte[0];

    private final RecordDecoder decoder;
    private final JobMetrics metrics;
    private final Sink sink;
    private final TaskSpanFilter filter;
    private final WakeStage stage;

    public InProcessRun(JobSettings settings, JobMetrics metrics, Sink sink) {
        this.decoder = WireFormats.inputDecoder(settings);
        this.metrics = metrics;
        this.sink = sink;
        this.filter = new TaskSpanFilter(Table.none(), Table.none(), settings.reorderWindowMs());
        // The stages keep their state in memory in front of their tables: nothing to write through.
        CachedSourceStore store = CachedSourceStore.inMemory();
        this.stage = new WakeStage(settings.lints(), settings.reorderWindowMs(), 1, metrics, store,
                new OrderingBuffer(Table.none(), store::releasedUpTo),
                System::currentTimeMillis, (out, timestamp) -> sink.output(out));
    }

    /** One input record, as the job would read it from the input topic. */
    public void accept(byte[] value) {
        Decoded d = Decoded.of(decoder, value);
        if (!d.isOk()) {
            metrics.deadLetter();
            sink.rejected(value, d.error());
            return;
        }
        TraceRecord r = d.record();
        metrics.recordIn(r.type());
        filter.accept(r, 0, this::keep);
    }

    private void keep(TraceRecord r, long producedMs) {
        // Nothing is known to be read before the end: the record is held.
        stage.accept(new Batch(r.source(), PARTITION, Long.MIN_VALUE, List.of(new Held(r, producedMs))), NOT_STORED, 0);
    }

    /** The end of the input: everything has been read, so the buffer releases all it holds. */
    public void finish() {
        filter.expire(Long.MAX_VALUE);
        stage.accept(Batch.heartbeat(PARTITION, Long.MAX_VALUE), NOT_STORED, 0);
    }
}
