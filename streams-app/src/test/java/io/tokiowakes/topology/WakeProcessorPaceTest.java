package io.tokiowakes.topology;

import io.tokiowakes.emit.Output;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.TraceDecoder;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wake stage cannot see the repartition topic's log end: it asks for commits every
 * commit.interval.ms while the records it gets were appended to the input within four backlog
 * intervals and two ordering windows, and leaves older ones to Kafka Streams' own (backlog) interval.
 */
class WakeProcessorPaceTest {

    private static final JobSettings PACED = JobSettings.defaults().withBacklogCommitInterval(500).withCommitInterval(100);
    /** Four 500 ms backlog intervals and two 200 ms windows. */
    private static final long CAUGHT_UP_MS = 2_400;

    @BeforeEach
    @AfterEach
    void forget() {
        CommitPace.forgetThisThread();
    }

    @Test
    void asksWhileItsRecordsAreRecentOnly() throws Exception {
        MockProcessorContext<String, Output> ctx = new MockProcessorContext<>();
        ctx.setCurrentSystemTimeMs(10_000);
        WakeProcessor wake = wake(ctx, CommitPace.of(PACED));
        Punctuator pace = punctuator(ctx, Duration.ofMillis(IngestProcessor.FLUSH_MS));

        wake.process(batch(1, 10_000));
        pace.punctuate(10_000 + CAUGHT_UP_MS + 1);
        assertFalse(ctx.committed(), "records appended longer ago: behind, Kafka Streams' own interval");

        long fresh = 10_000 + CAUGHT_UP_MS + 50;
        wake.process(batch(2, fresh));
        pace.punctuate(fresh + 50);
        assertTrue(ctx.committed(), "records appended 50 ms ago: a commit asked for (how often: CommitPaceTest)");
        ctx.resetCommit();
        pace.punctuate(fresh + CAUGHT_UP_MS);
        assertTrue(ctx.committed(), "a pause of a few backlog intervals, and records let out two windows late, still count");
        ctx.resetCommit();
        pace.punctuate(fresh + CAUGHT_UP_MS + 200);
        assertFalse(ctx.committed(), "nothing newer came: behind");
    }

    @Test
    void unpacedSchedulesOnlyItsExpiry() throws Exception {
        MockProcessorContext<String, Output> paced = new MockProcessorContext<>();
        paced.setCurrentSystemTimeMs(0);
        wake(paced, CommitPace.of(PACED));
        MockProcessorContext<String, Output> unpaced = new MockProcessorContext<>();
        unpaced.setCurrentSystemTimeMs(0);
        wake(unpaced, CommitPace.OFF);
        assertEquals(paced.scheduledPunctuators().size() - 1, unpaced.scheduledPunctuators().size());
        assertTrue(unpaced.scheduledPunctuators().stream()
                .noneMatch(p -> p.getInterval().equals(Duration.ofMillis(IngestProcessor.FLUSH_MS))));
    }

    private static Punctuator punctuator(MockProcessorContext<String, Output> ctx, Duration every) {
        return ctx.scheduledPunctuators().stream().filter(p -> p.getInterval().equals(every)).findFirst()
                .orElseThrow().getPunctuator();
    }

    private static Record<byte[], byte[]> batch(long seq, long appendedMs) throws Exception {
        String line = "{\"type\":\"span_new\",\"source\":\"svc\",\"seq\":" + seq + ",\"ts_nanos\":" + appendedMs * 1_000_000
                + ",\"thread.id\":\"ThreadId(1)\",\"span_id\":" + seq + ",\"name\":\"runtime.spawn\","
                + "\"target\":\"tokio::task\",\"fields\":{\"kind\":\"task\",\"task.name\":\"t\",\"task.id\":" + seq + "}}";
        Held held = new Held(new TraceDecoder(1 << 20).decode(line.getBytes(StandardCharsets.UTF_8)), appendedMs);
        byte[] bytes = BatchCodec.encode(new Batch("svc", 0, appendedMs, List.of(held)));
        return new Record<>("svc".getBytes(StandardCharsets.UTF_8), bytes, appendedMs);
    }

    private static WakeProcessor wake(MockProcessorContext<String, Output> ctx, CommitPace pace) {
        BeforeCommitStore.Registry commitHooks = new BeforeCommitStore.Registry();
        store(ctx, StoreNames.LIVE_TASKS, StateSerdes.tasks(), commitHooks);
        store(ctx, StoreNames.LIVE_RESOURCES, StateSerdes.resources(), commitHooks);
        store(ctx, StoreNames.THREADS, StateSerdes.threads(), commitHooks);
        store(ctx, StoreNames.SOURCES, StateSerdes.sources(), commitHooks);
        store(ctx, StoreNames.UNKNOWN_WAKES, Serdes.String(), commitHooks);
        store(ctx, StoreNames.ORDERING_BUFFER, Serdes.ByteArray(), commitHooks);
        WakeProcessor wake = new WakeProcessor(PACED, new JobMetrics(), commitHooks, pace);
        wake.init(ctx);
        return wake;
    }

    private static <V> void store(MockProcessorContext<String, Output> ctx, String name, Serde<V> values,
                                  BeforeCommitStore.Registry commitHooks) {
        KeyValueStore<String, V> store = BeforeCommitStore.builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values), commitHooks).withLoggingDisabled().build();
        store.init(ctx.getStateStoreContext(), store);
        ctx.addStateStore(store);
    }
}
