package io.tokiowakes.topology;

import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.order.InputProgress;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one input partition's ingest sends is what the wake stage trusts: no message (batch or
 * heartbeat) claims the partition read past a record that a later message of the same
 * partition carries (claims are Kafka timestamps in ms: records of the claimed millisecond
 * itself may follow, which the ordering window covers). The wake stage may apply a source's records as soon as a claim says so,
 * and the batches of one flush reach it one by one, with other partitions' batches between them.
 */
class IngestProcessorTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void noMessageClaimsPastARecordALaterOneCarries(long seed) throws Exception {
        MockProcessorContext<byte[], IngestProcessor.Outgoing> ctx = new MockProcessorContext<>();
        IngestProcessor ingest = ingest(ctx, p -> Long.MIN_VALUE, CommitPace.OFF);

        Random random = new Random(seed);
        long ms = 1_000;
        for (int step = 0; step < 400; step++) {
            ms += random.nextInt(3);
            String source = "svc-" + random.nextInt(5);
            long span = 1 + random.nextInt(6);
            String line = "{\"type\":\"span_new\",\"source\":\"" + source + "\",\"seq\":" + step + ",\"ts_nanos\":" + ms * 1_000_000
                    + ",\"thread.id\":\"ThreadId(1)\",\"span_id\":" + (step * 10 + span) + ",\"name\":\"runtime.spawn\","
                    + "\"target\":\"tokio::task\",\"fields\":{\"kind\":\"task\",\"task.name\":\"t\",\"task.id\":" + step + "}}";
            ingest.process(new Record<>(new byte[0], line.getBytes(StandardCharsets.UTF_8), ms));
            if (random.nextInt(25) == 0) {
                // The flush: every open batch (one per source), then the heartbeat.
                ctx.scheduledPunctuators().get(0).getPunctuator().punctuate(ms);
            }
        }
        ctx.scheduledPunctuators().get(0).getPunctuator().punctuate(ms);

        List<Batch> sent = new ArrayList<>();
        for (var f : ctx.forwarded()) {
            sent.add(BatchCodec.decode(f.record().value().value()));
        }
        assertTrue(sent.stream().filter(b -> !b.isHeartbeat()).count() > 20, sent.size() + " messages");
        long[] firstLaterRecord = new long[sent.size() + 1];
        firstLaterRecord[sent.size()] = Long.MAX_VALUE;
        for (int i = sent.size() - 1; i >= 0; i--) {
            long earliest = firstLaterRecord[i + 1];
            for (Held h : sent.get(i).records()) {
                earliest = Math.min(earliest, h.producedMs());
            }
            firstLaterRecord[i] = earliest;
        }
        for (int i = 0; i < sent.size(); i++) {
            long claim = sent.get(i).readUpTo();
            // A claim is the latest Kafka timestamp read; more records of that millisecond may follow.
            assertTrue(claim <= firstLaterRecord[i + 1], "message " + i + " claims " + claim
                    + " but a later one carries a record of " + firstLaterRecord[i + 1]);
        }
        assertEquals(ms, sent.get(sent.size() - 1).readUpTo(), "the last heartbeat claims all that was read");
    }

    /**
     * Behind its log, a partition's ingest leaves commits to Kafka Streams' own (backlog) interval;
     * caught up, it asks for one; its progress is asked about the offset after its last record and
     * that record's append time.
     */
    @Test
    void asksForCommitsOnlyWhileNotBehindItsLog() {
        CommitPace.forgetThisThread();
        MockProcessorContext<byte[], IngestProcessor.Outgoing> ctx = new MockProcessorContext<>();
        boolean[] behind = {true};
        List<Long> askedAbout = new ArrayList<>();
        List<Long> readAbout = new ArrayList<>();
        List<Long> nowAbout = new ArrayList<>();
        InputProgress progress = new InputProgress() {
            @Override
            public long readUpTo(int partition) {
                return Long.MIN_VALUE;
            }

            @Override
            public boolean behind(int partition, long position, long readMs, long nowMs) {
                askedAbout.add(position);
                readAbout.add(readMs);
                nowAbout.add(nowMs);
                return behind[0];
            }
        };
        JobSettings paced = JobSettings.defaults().withBacklogCommitInterval(500).withCommitInterval(100);
        assertTrue(paced.commitsPaced(), "a backlog interval longer than 100 ms");
        IngestProcessor ingest = ingest(ctx, progress, CommitPace.of(paced));
        ctx.setRecordMetadata("tokio.trace", 0, 41);
        ingest.process(new Record<>(new byte[0], "not a trace record".getBytes(StandardCharsets.UTF_8), 1_000));
        Punctuator flush = ctx.scheduledPunctuators().get(0).getPunctuator();

        flush.punctuate(5_000);
        assertFalse(ctx.committed(), "behind: Kafka Streams' own interval");
        assertEquals(42L, askedAbout.get(askedAbout.size() - 1), "the offset after the last record read");
        assertEquals(1_000L, readAbout.get(readAbout.size() - 1), "the newest record's append time");
        assertEquals(5_000L, nowAbout.get(nowAbout.size() - 1), "the flush's time");
        behind[0] = false;
        flush.punctuate(5_020);
        assertTrue(ctx.committed(), "caught up: a commit asked for (how often: CommitPaceTest)");
        CommitPace.forgetThisThread();
    }

    private static IngestProcessor ingest(MockProcessorContext<byte[], IngestProcessor.Outgoing> ctx, InputProgress progress,
                                          CommitPace pace) {
        BeforeCommitStore.Registry commitHooks = new BeforeCommitStore.Registry();
        store(ctx, IngestProcessor.STORE, Serdes.String(), commitHooks);
        store(ctx, IngestProcessor.HELD_STORE, new HeldSerde(), commitHooks);
        store(ctx, IngestProcessor.OUTBOX_STORE, Serdes.ByteArray(), commitHooks);
        IngestProcessor ingest = new IngestProcessor(new TraceDecoder(1 << 20), progress, new JobMetrics(), 200,
                commitHooks, pace);
        ingest.init(ctx);
        return ingest;
    }

    private static <V> void store(MockProcessorContext<byte[], IngestProcessor.Outgoing> ctx, String name,
                                  org.apache.kafka.common.serialization.Serde<V> values, BeforeCommitStore.Registry commitHooks) {
        KeyValueStore<String, V> store = BeforeCommitStore.builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values), commitHooks).withLoggingDisabled().build();
        store.init(ctx.getStateStoreContext(), store);
        ctx.addStateStore(store);
    }
}
