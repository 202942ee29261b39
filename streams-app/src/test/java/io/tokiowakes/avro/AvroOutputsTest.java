package io.tokiowakes.avro;

import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.model.DelayHistogram;
import io.tokiowakes.emit.DelayStats;
import io.tokiowakes.emit.Output;
import io.tokiowakes.model.ResourceWakes;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.ThreadRef;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.json.JsonSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroOutputsTest {

    private static final TaskRef RECEIVER = new TaskRef(8, 4L, "receiver", "task", null);
    private static final TaskRef HIGH = new TaskRef(-2L, null, null, null, null);
    private static final TaskRef LOCATED = new TaskRef(20, 13L, "lost-waker", "task", "src/main.rs:252:16");

    static List<Output> samples() {
        Map<WakeKind, Long> byKind = new EnumMap<>(WakeKind.class);
        long n = 0;
        for (WakeKind k : WakeKind.values()) {
            byKind.put(k, n++);
        }
        return List.of(
                new WakeEdge("svc", 93L, 1795682303687369451L, "waker.wake", WakeKind.TASK,
                        new TaskRef(2251799813685257L, 5L, "sender-task", "task", null), RECEIVER,
                        new ThreadRef("ThreadId(3)", "tokio-runtime-worker")),
                new WakeEdge("svc", null, 1L, "waker.wake_by_ref", WakeKind.EXTERNAL, null, HIGH, new ThreadRef(null, "")),
                new WakeEdge("svc", 94L, 1795682303687369452L, "waker.wake", WakeKind.RUNTIME, null, RECEIVER,
                        new ThreadRef("ThreadId(2)", "tokio-runtime-worker"),
                        List.of(new ResourceRef(274877906946L, "timer", "Sleep", "src/main.rs:12:5"),
                                new ResourceRef(-3L, "Sync", "Semaphore", null))),
                new Anomaly(AnomalyType.LOST_WAKER, "svc", 1795682303706502542L, LOCATED,
                        "idle with no waker for 5 ms: nothing can wake it", null),
                new Anomaly(AnomalyType.EXTERNAL_ONLY_WAKES, "svc", 2L, HIGH, "woken only from outside", 100L),
                new WakeDelay("svc", 93L, 1795682303687369451L, 1795682303687389451L, 20000, WakeKind.TASK,
                        new TaskRef(2251799813685257L, 5L, "sender-task", "task", null), RECEIVER),
                new WakeDelay("svc", null, 1L, 1L, 0, WakeKind.EXTERNAL, null, HIGH),
                new TaskSummary("svc", 1795682303697711066L, LOCATED, 1795682303676038188L, 21672878, 5, 52498,
                        156628, 21463752, 24536, 4, byKind, 3, 0, 3, 1,
                        List.of(AnomalyType.LOST_WAKER, AnomalyType.LONG_POLL), delays(),
                        List.of(new ResourceWakes(new ResourceRef(274877906946L, "timer", "Sleep", "src/main.rs:12:5"), 3))),
                new TaskSummary("svc", 3L, HIGH, 1L, 2L, 0, 0, 0, 2, 0, 0, new EnumMap<>(WakeKind.class), 0, 0, 0, 0,
                        List.of(), Map.of(), List.of()));
    }

    private static Map<WakeKind, DelayStats> delays() {
        DelayHistogram h = new DelayHistogram();
        for (long v : new long[] {900, 4_000, 4_100, 1_500_000}) {
            h.record(v);
        }
        Map<WakeKind, DelayStats> m = new EnumMap<>(WakeKind.class);
        m.put(WakeKind.RUNTIME, DelayStats.of(h));
        m.put(WakeKind.SELF, DelayStats.of(new DelayHistogram()));
        return m;
    }

    static byte[] sampleEdgeBytes() {
        return AvroOutputs.encode(samples().get(0));
    }

    @Test
    void theSerdeGivesBackTheSameValuesAndTheJsonFormatsOwnJson() {
        Serde<Output> avro = AvroOutputs.serde();
        Serde<Output> json = JsonSerde.of(Output.class);
        for (Output o : samples()) {
            byte[] bytes = avro.serializer().serialize("t", o);
            assertEquals(0xC3, bytes[0] & 0xff);
            assertEquals(o, avro.deserializer().deserialize("t", bytes));
            assertEquals(new String(json.serializer().serialize("t", o), StandardCharsets.UTF_8),
                    new String(AvroOutputs.toJson(bytes), StandardCharsets.UTF_8));
        }
    }

    @Test
    void unsignedSpanIdsComeBackAsTheJsonWritesThem() {
        String out = new String(AvroOutputs.toJson(AvroOutputs.encode(samples().get(1))), StandardCharsets.UTF_8);
        assertTrue(out.contains("\"span_id\":18446744073709551614"), out);
    }

    @Test
    void garbageAndUnknownSchemasAreRefused() {
        assertThrows(SerializationException.class, () -> AvroOutputs.decode("{}".getBytes(StandardCharsets.UTF_8)));
        byte[] bytes = sampleEdgeBytes();
        bytes[5] ^= 1;
        assertTrue(assertThrows(SerializationException.class, () -> AvroOutputs.decode(bytes)).getMessage()
                .startsWith("unknown Avro schema fingerprint"));
        byte[] truncated = java.util.Arrays.copyOf(sampleEdgeBytes(), 12);
        assertThrows(SerializationException.class, () -> AvroOutputs.decode(truncated));
    }
}
