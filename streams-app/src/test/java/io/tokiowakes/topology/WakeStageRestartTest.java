package io.tokiowakes.topology;

import io.tokiowakes.engine.CachedSourceStore;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.engine.WakeStage;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.model.Table;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.TaskSpanFilter;
import io.tokiowakes.order.OrderingBuffer;
import io.tokiowakes.emit.Output;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.KafkaTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wake stage stopped between any two batches after a commit (Kafka Streams commits only
 * between two records) and started again on what its tables hold gives exactly the outputs of a
 * run that never stopped: records held in the ordering buffer, task, resource, thread and source
 * state all come back.
 */
class WakeStageRestartTest {

    /** The job's default ordering window (ms). */
    private static final long WINDOW_MS = 200;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mixed-w2", "tokio-1.53/mixed-w1"})
    void aRestartBetweenAnyTwoBatchesChangesNothing(String fixture) throws Exception {
        List<Batch> batches = batches(fixture);
        List<String> whole = new Run().accept(batches).outputs;
        assertTrue(whole.size() > 40);
        for (int crashAt = 1; crashAt < batches.size(); crashAt++) {
            Run before = new Run().accept(batches.subList(0, crashAt));
            Run after = before.restarted().accept(batches.subList(crashAt, batches.size()));
            List<String> outputs = new ArrayList<>(before.outputs);
            outputs.addAll(after.outputs);
            assertEquals(whole, outputs, "restarted before batch " + crashAt);
        }
    }

    /** The fixture as the filter stage would send it from one partition: batches of 1-40 records, heartbeats between. */
    private static List<Batch> batches(String fixture) throws Exception {
        TraceDecoder decoder = new TraceDecoder(1 << 20);
        TaskSpanFilter filter = new TaskSpanFilter(Table.none(), Table.none(), 200);
        List<Held> kept = new ArrayList<>();
        long ms = 0;
        for (byte[] line : KafkaTestSupport.fixture(fixture)) {
            long producedMs = ms += 3;
            filter.accept(decoder.decode(line), producedMs, (r, p) -> kept.add(new Held(r, p)));
        }
        Random random = new Random(7);
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); ) {
            int n = Math.min(kept.size() - i, 1 + random.nextInt(40));
            List<Held> records = kept.subList(i, i + n);
            long readUpTo = records.get(n - 1).producedMs();
            out.add(new Batch(records.get(0).record().source(), 0, readUpTo, List.copyOf(records)));
            out.add(Batch.heartbeat(0, readUpTo));
            i += n;
        }
        out.add(Batch.heartbeat(0, Long.MAX_VALUE));
        return out;
    }

    /** A wake stage over tables that outlive it, as state stores outlive a stream task. */
    private static final class Run {
        final Table<io.tokiowakes.model.TaskState> tasks;
        final Table<io.tokiowakes.model.ResourceSpan> resources;
        final Table<io.tokiowakes.model.ThreadState> threads;
        final Table<io.tokiowakes.model.SourceState> sources;
        final Table<String> unknown;
        final Table<byte[]> held;
        final List<String> outputs = new ArrayList<>();
        final WakeStage stage;
        final CachedSourceStore store;

        Run() {
            this(Table.inMemory(), Table.inMemory(), Table.inMemory(), Table.inMemory(), Table.inMemory(),
                    Table.inMemory());
        }

        Run(Table<io.tokiowakes.model.TaskState> tasks, Table<io.tokiowakes.model.ResourceSpan> resources,
            Table<io.tokiowakes.model.ThreadState> threads,
            Table<io.tokiowakes.model.SourceState> sources, Table<String> unknown, Table<byte[]> held) {
            this.tasks = serialized(tasks, StateSerdes.tasks());
            this.resources = serialized(resources, StateSerdes.resources());
            this.threads = serialized(threads, StateSerdes.threads());
            this.sources = serialized(sources, StateSerdes.sources());
            this.unknown = unknown;
            this.held = held;
            store = new CachedSourceStore(this.tasks, this.resources, this.threads, this.sources, unknown);
            stage = new WakeStage(LintSettings.DEFAULTS, WINDOW_MS, 1, new JobMetrics(), store, new OrderingBuffer(held, store::releasedUpTo),
                    () -> 0L, (out, ts) -> outputs.add(json(out)));
        }

        /** A commit (the stage's changes written to its tables), then a new stage on the tables. */
        Run restarted() {
            store.writeAll();
            return new Run(tasks, resources, threads, sources, unknown, held);
        }

        Run accept(List<Batch> batches) {
            for (Batch b : batches) {
                stage.accept(b, BatchCodec.encode(b), 0);
            }
            return this;
        }
    }

    /** A table that keeps values as their bytes, as a store does: nothing is shared with the stage's objects. */
    private static <V> Table<V> serialized(Table<V> table, org.apache.kafka.common.serialization.Serde<V> serde) {
        return new Table<>() {
            @Override
            public V get(String key) {
                return table.get(key) == null ? null : copy(table.get(key));
            }

            @Override
            public void put(String key, V value) {
                table.put(key, copy(value));
            }

            @Override
            public void delete(String key) {
                table.delete(key);
            }

            @Override
            public void forEach(java.util.function.BiConsumer<String, V> action) {
                table.forEach((k, v) -> action.accept(k, copy(v)));
            }

            @Override
            public List<String> keys(String from, String to) {
                return table.keys(from, to);
            }

            private V copy(V v) {
                return serde.deserializer().deserialize("t", serde.serializer().serialize("t", v));
            }
        };
    }

    private static String json(Output out) {
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
