package io.tokiowakes.topology;

import io.tokiowakes.ingest.TaskInfo;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.ingest.TraceRecord;
import io.tokiowakes.kafka.KafkaTestSupport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records cross the repartition topic and sit in the ordering buffer in this form. */
class TraceRecordSerdeTest {

    @Test
    void everyFixtureRecordComesBackEqual() throws Exception {
        TraceDecoder decoder = new TraceDecoder(1 << 20);
        int n = 0;
        for (String f : io.tokiowakes.analyze.ExpectedWakes.FIXTURES) {
            for (byte[] line : KafkaTestSupport.fixture(f)) {
                TraceRecord r = decoder.decode(line);
                assertEquals(r, TraceRecordSerde.read(TraceRecordSerde.write(r)));
                n++;
            }
        }
        assertTrue(n > 1000);
    }

    @Test
    void stringsOfAnyLengthAndNonAsciiSurvive() {
        String huge = "é".repeat(70_000);
        TraceRecord r = new TraceRecord(io.tokiowakes.ingest.RecordType.SPAN_NEW, "src-ü", 1L, 2L, "ThreadId(3)",
                huge, 4L, null, "runtime.spawn", "tokio::task", new TaskInfo(5L, huge, "task", null, null, 6L, null),
                null, null);
        assertEquals(r, TraceRecordSerde.read(TraceRecordSerde.write(r)));
    }

    /** Records written by the previous format (still in a repartition topic or a changelog) are read. */
    @Test
    void readsFormatVersion1() throws IOException {
        TraceRecord r = new TraceRecord(io.tokiowakes.ingest.RecordType.SPAN_NEW, "src", 1L, 2L, null,
                "tokio-runtime-worker", 4L, 9L, "runtime.spawn", null, new TaskInfo(null, "", "task", "a.rs:1:2", null,
                null, 7L), null, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeByte(r.type().ordinal());
            out.writeUTF(r.source());
            long1(out, r.seq());
            out.writeLong(r.tsNanos());
            out.writeBoolean(false); // thread id
            out.writeUTF(r.threadName());
            long1(out, r.spanId());
            long1(out, r.parentId());
            out.writeBoolean(true);
            out.writeUTF(r.name());
            out.writeBoolean(false); // target
            out.writeByte(-1);
            long1(out, null);
            out.writeBoolean(true);
            long1(out, null);
            out.writeUTF("");
            out.writeUTF("task");
            out.writeBoolean(true);
            out.writeUTF("a.rs:1:2");
            out.writeBoolean(false);
            long1(out, null);
            long1(out, 7L);
        }
        assertEquals(r, TraceRecordSerde.read(bytes.toByteArray()));
    }

    private static void long1(DataOutputStream out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }
}
