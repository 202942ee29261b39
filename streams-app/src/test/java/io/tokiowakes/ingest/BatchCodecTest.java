package io.tokiowakes.ingest;

import io.tokiowakes.model.RecordType;
import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.model.TaskInfo;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.model.WakerOp;
import io.tokiowakes.kafka.KafkaTestSupport;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records cross the repartition topic, and sit in the stores, in this form: they come back equal. */
class BatchCodecTest {

    @Test
    void everyFixtureRecordComesBackEqualInBatchesOfItsSource() throws Exception {
        TraceDecoder decoder = new TraceDecoder(1 << 20);
        Map<String, List<Held>> bySource = new LinkedHashMap<>();
        long produced = 1_700_000_000_000L;
        for (String f : io.tokiowakes.analyze.ExpectedWakes.FIXTURES) {
            for (byte[] line : KafkaTestSupport.fixture(f)) {
                TraceRecord r = decoder.decode(line);
                // Kafka timestamps move either way between records of a batch (they come from many threads).
                produced += (r.tsNanos() % 7) - 3;
                bySource.computeIfAbsent(r.source(), s -> new ArrayList<>()).add(new Held(r, produced));
            }
        }
        int n = 0;
        for (Map.Entry<String, List<Held>> e : bySource.entrySet()) {
            Batch batch = new Batch(e.getKey(), 3, 1_700_000_000_123L, e.getValue());
            assertEquals(batch, BatchCodec.decode(BatchCodec.encode(batch)));
            n += e.getValue().size();
        }
        assertTrue(n > 2000, n + " records");
    }

    @Test
    void extremeValuesSurvive() {
        String huge = "é".repeat(70_000);
        long above2pow63 = Long.parseUnsignedLong("18446744073709551557");
        TraceRecord spawn = new TraceRecord(RecordType.SPAN_NEW, "src-ü", 0L, Long.MAX_VALUE, "ThreadId(3)",
                huge, above2pow63, Long.MIN_VALUE, "runtime.spawn", "tokio::task",
                new TaskInfo(above2pow63, huge, "task", null, "fn::{{closure}}", 0L, Long.MAX_VALUE), null, null);
        TraceRecord wake = new TraceRecord(RecordType.EVENT, "src-ü", null, 0, null, "", null, null, null, null,
                null, WakerOp.WAKE_BY_REF, above2pow63);
        TraceRecord resource = new TraceRecord(RecordType.SPAN_NEW, "src-ü", 1L, 5, "ThreadId(3)", "w", above2pow63,
                above2pow63, "runtime.resource", null, null, null, null,
                new ResourceInfo(ResourceInfo.Role.RESOURCE, huge, null, "ü.rs:1:2", true));
        TraceRecord poll = new TraceRecord(RecordType.SPAN_NEW, "src-ü", 2L, 6, "ThreadId(3)", "w", 3L, 2L,
                "runtime.resource.async_op.poll", null, null, null, null, ResourceInfo.of(ResourceInfo.Role.ASYNC_OP_POLL));
        Batch batch = new Batch("src-ü", 0, Long.MIN_VALUE, List.of(new Held(spawn, Long.MAX_VALUE), new Held(wake, 0),
                new Held(resource, 1), new Held(poll, 2)));
        assertEquals(batch, BatchCodec.decode(BatchCodec.encode(batch)));
    }

    /** A batch of version 1 (before resource spans were carried), or of any version but 2, is refused. */
    @Test
    void aBatchOfAnotherVersionIsRefused() {
        Batch batch = new Batch("svc", 1, 5, List.of(new Held(new TraceRecord(RecordType.SPAN_ENTER, "svc", 1L, 2L,
                "ThreadId(2)", "w", 8L, null, null, null, null, null, null), 5)));
        byte[] bytes = BatchCodec.encode(batch);
        assertEquals(2, bytes[0]);
        assertEquals(batch, BatchCodec.decode(bytes));
        bytes[0] = 1;
        SerializationException e = assertThrows(SerializationException.class, () -> BatchCodec.decode(bytes));
        assertEquals("unknown batch format version 1", e.getMessage());
        bytes[0] = 3;
        e = assertThrows(SerializationException.class, () -> BatchCodec.decode(bytes));
        assertEquals("unknown batch format version 3", e.getMessage());
    }

    @Test
    void aHeartbeatHasNoSource() {
        Batch heartbeat = Batch.heartbeat(7, Long.MAX_VALUE);
        Batch back = BatchCodec.decode(BatchCodec.encode(heartbeat));
        assertTrue(back.isHeartbeat());
        assertEquals(heartbeat, back);
    }

    @Test
    void repeatedStringsAreWrittenOnce() {
        List<Held> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(new Held(new TraceRecord(RecordType.SPAN_ENTER, "svc", (long) i, 1_000L * i,
                    "ThreadId(2)", "tokio-runtime-worker", 8L + i, null, null, null, null, null, null), i));
        }
        byte[] bytes = BatchCodec.encode(new Batch("svc", 0, 0, records));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(text.indexOf("tokio-runtime-worker"), text.lastIndexOf("tokio-runtime-worker"));
        assertEquals(text.indexOf("ThreadId(2)"), text.lastIndexOf("ThreadId(2)"));
        assertTrue(bytes.length < 100 * 16, bytes.length + " bytes for 100 enters");
    }

    @Test
    void truncatedOrForeignBytesAreRefused() {
        byte[] bytes = BatchCodec.encode(new Batch("svc", 0, 0, List.of(new Held(new TraceRecord(RecordType.SPAN_ENTER,
                "svc", 1L, 2L, "ThreadId(2)", "w", 8L, null, null, null, null, null, null), 5))));
        assertThrows(SerializationException.class, () -> BatchCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(SerializationException.class, () -> BatchCodec.decode("{\"type\":1}".getBytes()));
    }
}
