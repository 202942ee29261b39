package io.tokiowakes.topology;

import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Held;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kept record not yet sent is in the outbox's changelog at every commit after it (the driver
 * commits after each record): a crash after the commit of its input offset finds it there. The
 * outbox writes its open batches only when Kafka Streams commits ({@link BeforeCommitStore}),
 * so this fails if Kafka Streams stops calling that hook.
 */
class OutboxCommitTest {

    @Test
    void everyCommitHoldsTheOpenBatchesAndASentBatchIsDeleted() {
        TraceScript a = new TraceScript("svc-a").task(1, "first");
        TraceScript b = new TraceScript("svc-b").task(7, "other");
        try (TopologyHarness h = new TopologyHarness()) {
            h.pipe(a.records());
            assertEquals(List.of(1L), spansIn(last(h.changelog(IngestProcessor.OUTBOX_STORE), "svc-a")));

            h.pipe(new TraceScript("svc-a").advanceMillis(1).task(2, "second").records()).pipe(b.records());
            List<TestRecord<String, byte[]>> second = h.changelog(IngestProcessor.OUTBOX_STORE);
            assertEquals(List.of(1L, 2L), spansIn(last(second, "svc-a")));
            assertEquals(List.of(7L), spansIn(last(second, "svc-b")));

            // The filter stage's flush sends every open batch: the changelog then forgets them.
            h.advanceWallClock(Duration.ofMillis(IngestProcessor.FLUSH_MS));
            List<TestRecord<String, byte[]>> afterFlush = h.changelog(IngestProcessor.OUTBOX_STORE);
            assertNull(last(afterFlush, "svc-a").value());
            assertNull(last(afterFlush, "svc-b").value());
            assertEquals(0, h.storeEntries(IngestProcessor.OUTBOX_STORE));
        }
    }

    private static TestRecord<String, byte[]> last(List<TestRecord<String, byte[]>> log, String source) {
        TestRecord<String, byte[]> found = null;
        for (TestRecord<String, byte[]> r : log) {
            if (r.key().equals(source)) {
                found = r;
            }
        }
        assertTrue(found != null, "no changelog record of " + source + " in " + log.size());
        return found;
    }

    private static List<Long> spansIn(TestRecord<String, byte[]> r) {
        Batch batch = BatchCodec.decode(r.value());
        return batch.records().stream().map(Held::record).map(x -> x.spanId()).toList();
    }
}
