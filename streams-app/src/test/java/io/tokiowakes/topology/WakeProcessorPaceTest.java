package io.tokiowakes.topology;

import io.tokiowakes.emit.Output;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.order.InputProgress;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wake stage asks for commits every commit.interval.ms while the input read here is not
 * behind its log, and leaves them to Kafka Streams' own (backlog) interval while it is, however
 * old or new its own records are.
 */
class WakeProcessorPaceTest {

    private static final JobSettings PACED = JobSettings.defaults().withBacklogCommitInterval(500).withCommitInterval(100);

    @BeforeEach
    @AfterEach
    void forget() {
        CommitPace.forgetThisThread();
    }

    @Test
    void asksWhileTheInputIsNotBehindOnly() throws Exception {
        MockProcessorContext<String, Output> ctx = new MockProcessorContext<>();
        ctx.setCurrentSystemTimeMs(10_000);
        AtomicBoolean inputBehind = new AtomicBoolean(true);
        WakeProcessor wake = wake(ctx, inputBehind, CommitPace.of(PACED));
        Punctuator pace = punctuator(ctx, Duration.ofMillis(IngestProcessor.FLUSH_MS));

        wake.process(batch(1, 10_000));
        pace.punctuate(10_020);
        assertFalse(ctx.committed(), "input behind, though this record is 20 ms old: Kafka Streams' own interval");

        inputBehind.set(false);
        pace.punctuate(10_040);
        assertTrue(ctx.committed(), "input caught up: a commit asked for (how often: CommitPaceTest)");
        ctx.resetCommit();
        pace.punctuate(60_000);
        assertTrue(ctx.committed(), "a minute without records, the input caught up: still asks");
        ctx.resetCommit();

        inputBehind.set(true);
        pace.punctuate(60_200);
        assertFalse(ctx.committed(), "input behind again");
    }

    @Test
    void unpacedSchedulesOnlyItsExpiry() throws Exception {
        MockProcessorContext<String, Output> paced = new MockProcessorContext<>();
        paced.setCurrentSystemTimeMs(0);
        wake(paced, new AtomicBoolean(), CommitPace.of(PACED));
        MockProcessorContext<String, Output> unpaced = new MockProcessorContext<>();
        unpaced.setCurrentSystemTimeMs(0);
        wake(unpaced, new AtomicBoolean(), CommitPace.OFF);
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

    private static WakeProcessor wake(MockProcessorContext<String, Output> ctx, AtomicBoolean inputBehind, CommitPace pace) {
        BeforeCommitStore.Registry commitHooks = new BeforeCommitStore.Registry();
        store(ctx, StoreNames.LIVE_TASKS, StateSerdes.tasks(), commitHooks);
        store(ctx, StoreNames.LIVE_RESOURCES, StateSerdes.resources(), commitHooks);
        store(ctx, StoreNames.THREADS, StateSerdes.threads(), commitHooks);
        store(ctx, StoreNames.SOURCES, StateSerdes.sources(), commitHooks);
        store(ctx, StoreNames.UNKNOWN_WAKES, Serdes.String(), commitHooks);
        store(ctx, StoreNames.ORDERING_BUFFER, Serdes.ByteArray(), commitHooks);
        WakeProcessor wake = new WakeProcessor(PACED, new JobMetrics(), commitHooks, new InputProgress() {
            @Override
            public long readUpTo(int partition) {
                return Long.MIN_VALUE;
            }

            @Override
            public boolean anyBehind(long nowMs) {
                return inputBehind.get();
            }
        }, pace);
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
