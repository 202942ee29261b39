package io.tokiowakes.topology;

import io.tokiowakes.emit.Output;
import io.tokiowakes.ingest.RecordDecoder;
import io.tokiowakes.ingest.TraceRecord;

/**
 * The job's data path for a captured trace, in one thread and without Kafka: the same decoder,
 * filter and wake stage as {@link WakeTopology}, their tables in memory, one input partition.
 * A file has no Kafka timestamps, so each record is stamped with the latest trace time read so
 * far: the ordering buffer holds records for the same window of trace time as the job does.
 */
public final class InProcessRun {

    /** What the run produces: outputs, and the records the job would send to the dead-letter topic. */
    public interface Sink {
        void output(Output out);

        void rejected(byte[] value, String reason);
    }

    private static final int PARTITION = 0;

    private final RecordDecoder decoder;
    private final JobMetrics metrics;
    private final Sink sink;
    private final TaskSpanFilter filter = new TaskSpanFilter(Table.none());
    private final WakeStage stage;
    /** The latest trace time read, in milliseconds: the input is read up to there. */
    private long readUpTo;

    public InProcessRun(JobSettings settings, JobMetrics metrics, Sink sink) {
        this.decoder = WireFormats.inputDecoder(settings);
        this.metrics = metrics;
        this.sink = sink;
        // The stages keep their state in memory in front of their tables: nothing to write through.
        this.stage = new WakeStage(settings.withInputPartitions(1), metrics, CachedSourceStore.inMemory(),
                new OrderingBuffer(Table.none()),
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
        readUpTo = Math.max(readUpTo, r.tsNanos() / 1_000_000);
        if (filter.keep(r)) {
            stage.accept(new Staged(r, PARTITION, readUpTo), readUpTo);
        }
    }

    /** The end of the input: everything has been read, so the buffer releases all it holds. */
    public void finish() {
        stage.accept(new Staged(null, PARTITION, Long.MAX_VALUE), readUpTo);
    }
}
