package io.tokiowakes.topology;

import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.DelayHistogram;
import io.tokiowakes.model.PendingWake;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.ResourceWakes;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.SourceState;
import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.model.TaskInfo;
import io.tokiowakes.json.JsonSerde;
import io.tokiowakes.graph.TaskView;
import io.tokiowakes.model.ResourceSpan;
import io.tokiowakes.model.ThreadState;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of the stored state survives the binary serdes; state of another format (JSON among them) is refused. */
class StateSerdesTest {

    @Test
    void everyFieldOfEveryStateValueSurvivesARoundTrip() throws Exception {
        roundTrip(StateSerdes.tasks(), TaskState::new);
        roundTrip(StateSerdes.resources(), ResourceSpan::new);
        roundTrip(StateSerdes.threads(), ThreadState::new);
        roundTrip(StateSerdes.sources(), SourceState::new);
        roundTrip(StateSerdes.taskViews(), TaskView::new);
        roundTrip(StateSerdes.graphCells(), io.tokiowakes.graph.GraphCell::new);
    }

    @Test
    void stateStoredAsJsonIsRefused() throws Exception {
        byte[] json = JsonSerde.of(TaskState.class).serializer().serialize("t", filled(TaskState::new));
        SerializationException e = assertThrows(SerializationException.class,
                () -> StateSerdes.tasks().deserializer().deserialize("t", json));
        assertEquals("task state stored as JSON" + REFUSED, e.getMessage());
        byte[] sourceJson = JsonSerde.of(SourceState.class).serializer().serialize("t", filled(SourceState::new));
        e = assertThrows(SerializationException.class, () -> StateSerdes.sources().deserializer().deserialize("t", sourceJson));
        assertEquals("source state stored as JSON" + REFUSED, e.getMessage());
    }

    private static <T> void roundTrip(Serde<T> serde, Supplier<T> fresh) throws Exception {
        T value = filled(fresh);
        T back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
        assertFieldsEqual(value, back);
    }

    /** Sets every public field to a value unlike its default, so a field the serde forgets shows. */
    private static <T> T filled(Supplier<T> fresh) throws Exception {
        T value = fresh.get();
        T blank = fresh.get();
        long n = 1000;
        for (Field f : fields(value)) {
            Class<?> t = f.getType();
            n++;
            if (t == long.class) {
                f.setLong(value, n);
            } else if (t == int.class) {
                f.setInt(value, (int) n);
            } else if (t == boolean.class) {
                f.setBoolean(value, !f.getBoolean(value));
            } else if (t == String.class) {
                f.set(value, "value-" + n + "-é");
            } else if (t == TaskInfo.class) {
                f.set(value, new TaskInfo(n, "name", "task", "src/main.rs:1:2", "fn", 64L, 128L));
            } else if (t == DelayHistogram.class) {
                DelayHistogram h = new DelayHistogram();
                h.record(n);
                h.record(3 * n);
                f.set(value, h);
            } else if (t == java.util.Map.class && valueType(f) == Long.class && elementType(f) == String.class) {
                java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
                m.put("timer Sleep src/é.rs:1:2", n);
                m.put("Sync Semaphore", 1L);
                f.set(value, m);
            } else if (t == DelayHistogram[].class) {
                DelayHistogram[] a = new DelayHistogram[WakeKind.values().length];
                a[WakeKind.RUNTIME.ordinal()] = new DelayHistogram();
                a[WakeKind.RUNTIME.ordinal()].record(n);
                a[WakeKind.RUNTIME.ordinal()].record(n * 1000);
                a[WakeKind.SELF.ordinal()] = new DelayHistogram();
                a[WakeKind.SELF.ordinal()].record(3);
                f.set(value, a);
            } else if (t == List.class && elementType(f) == PendingWake.class) {
                f.set(value, new ArrayList<>(List.of(new PendingWake(n, n + 1, WakeKind.TASK,
                        new io.tokiowakes.model.TaskRef(n, n + 2, "waker-é", "task", null)),
                        new PendingWake(null, -n, WakeKind.EXTERNAL, null))));
            } else if (t == List.class && elementType(f) == ResourceWakes.class) {
                f.set(value, new ArrayList<>(List.of(new ResourceWakes(new ResourceRef(n, "timer", "Sleep", "a.rs:1:2"), n),
                        new ResourceWakes(new ResourceRef(n + 7, null, null, null), 1))));
            } else if (t == ResourceInfo.class) {
                f.set(value, new ResourceInfo(ResourceInfo.Role.RESOURCE, "timer", "Sleep", "src/main.rs:3:4", true));
            } else if (t == long[].class && ((long[]) f.get(value)).length == 0) {
                f.set(value, new long[] {n, -n, n + 1});
            } else if (t == long[].class) {
                long[] a = ((long[]) f.get(value)).clone();
                for (int i = 0; i < a.length; i++) {
                    a[i] = n + i;
                }
                f.set(value, a);
            } else if (t == WakeKind.class) {
                f.set(value, WakeKind.values()[WakeKind.values().length - 1]);
            } else if (t == java.util.Set.class && f.getName().equals("reported")) {
                f.set(value, EnumSet.allOf(AnomalyType.class));
            } else if (t == java.util.Set.class && elementType(f) == String.class) {
                f.set(value, new HashSet<>(List.of("value-" + n, "other-" + n + "-é")));
            } else if (t == java.util.Set.class) {
                f.set(value, new HashSet<>(List.of(n, -n)));
            } else if (t == Long.class) {
                f.set(value, n);
            } else if (t == List.class && elementType(f) == TaskView.RecentWake.class) {
                f.set(value, new ArrayList<>(List.of(new TaskView.RecentWake(n, "waker.wake", WakeKind.TASK, "peer-é", n + 1),
                        new TaskView.RecentWake(-n, "waker.wake_by_ref", null, null, null),
                        new TaskView.RecentWake(n + 3, "waker.wake", WakeKind.RUNTIME, "(runtime)", null,
                                List.of("timer Sleep src/é.rs:1:2", "Sync Semaphore"), n + 4))));
            } else if (t == java.util.Map.class && valueType(f) == io.tokiowakes.emit.DelayStats.class) {
                java.util.Map<WakeKind, io.tokiowakes.emit.DelayStats> m = new java.util.EnumMap<>(WakeKind.class);
                m.put(WakeKind.SELF, new io.tokiowakes.emit.DelayStats(n, n + 1, n + 2, n + 3, List.of()));
                m.put(WakeKind.EXTERNAL, new io.tokiowakes.emit.DelayStats(1, 2, 3, 4, List.of()));
                f.set(value, m);
            } else if (t == List.class && elementType(f) == TaskView.Flag.class) {
                f.set(value, new ArrayList<>(List.of(new TaskView.Flag(AnomalyType.LOST_WAKER, n, "detail-é"))));
            } else if (t == java.util.Map.class) {
                java.util.Map<WakeKind, Long> m = new java.util.EnumMap<>(WakeKind.class);
                for (WakeKind k : WakeKind.values()) {
                    m.put(k, n + k.ordinal());
                }
                f.set(value, m);
            } else if (t == List.class) {
                f.set(value, new ArrayList<>(List.of(n, -n, n)));
            } else {
                throw new AssertionError("no test value for " + f + ": add one, and the field to the serde");
            }
            assertNotEquals(describe(f.get(blank)), describe(f.get(value)), f.getName());
        }
        return value;
    }

    private static Class<?> valueType(Field f) {
        if (f.getGenericType() instanceof java.lang.reflect.ParameterizedType p
                && p.getActualTypeArguments()[1] instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static Class<?> elementType(Field f) {
        if (f.getGenericType() instanceof java.lang.reflect.ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    /**
     * Values of formats 1 and 2, captured from the serdes that wrote them: each is refused with
     * what it is and its format.
     */
    @Test
    void stateOfAnotherFormatIsRefused() {
        assertRefused("task state of format 1", StateSerdes.tasks(), FORMAT_1_TASK);
        assertRefused("thread state of format 1", StateSerdes.threads(), FORMAT_1_THREAD);
        assertRefused("source state of format 1", StateSerdes.sources(), FORMAT_1_SOURCE);
        assertRefused("task state of format 2", StateSerdes.tasks(), FORMAT_2_TASK);
        assertRefused("source state of format 2", StateSerdes.sources(), FORMAT_2_SOURCE);
        assertRefused("task view of format 2", StateSerdes.taskViews(), FORMAT_2_VIEW);
    }

    /** A wake-graph cell stored as a count (a long): its first byte is taken for the format. */
    @Test
    void aGraphCellStoredAsACountIsRefused() {
        byte[] count = org.apache.kafka.common.serialization.Serdes.Long().serializer().serialize("t", 42L);
        SerializationException e = assertThrows(SerializationException.class,
                () -> StateSerdes.graphCells().deserializer().deserialize("t", count));
        assertEquals("graph cell of format 0" + REFUSED, e.getMessage());
    }

    private static final String REFUSED = ": this job reads format 3; reset the application's state to start afresh";

    private static void assertRefused(String found, Serde<?> serde, String hex) {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", HexFormat.of().parseHex(hex)));
        assertEquals(found + REFUSED, e.getMessage());
    }

    private static final String FORMAT_2_TASK = "02000000000000000801010000000000000004000000087265636569766572000000047461736b000000127372632f6d6169"
            + "6e2e72733a3135373a3233ffffffff0100000000000006400018eb8b8a9010bc2c000000000018eb8b8a9010bc2c18eb8b8a"
            + "9010cfb401000000000000000fa00000000000000fa000000000000000010000000000000fa0000000000000138800000000"
            + "00000003000000000000000000000000000000020000000000000000050000000453454c4600000000000000000000000454"
            + "41534b000000000000000200000008424c4f434b494e4700000000000000000000000752554e54494d450000000000000000"
            + "0000000845585445524e414c0000000000000000000000045441534bffffffffffffffff010000000c4c415247455f465554"
            + "555245000000000000000600000001000000000000000001";
    private static final String FORMAT_2_SOURCE = "0218eb8b8a915b6fda0000000100000000000000140000000000000000000000000000005d00000000000000000000000000"
            + "00005800000000000000000000018bcfe5687b0000000100000000000000090000000100000016776f726b65723a3a4c6175"
            + "6e63683a3a6c61756e6368000000000000005a000000000000005c";
    private static final String FORMAT_2_VIEW = "020000000000000008010000000000000004000000087265636569766572000000047461736b0000000118eb8b8a90bda2eb"
            + "0000000a77616b65722e77616b65010000000b73656e6465722d7461736b0100000000000000050000000000000001000000"
            + "0a4c4f53545f57414b455200000000000000070000000469646c650118eb8b8a915b6fda0100000000000000050100000000"
            + "00000004000000127372632f6d61696e2e72733a3135373a323300000001000000045441534b000000000000000200000001"
            + "a217017ed1";

    private static final String FORMAT_1_TASK = "010008000000000009010100000000000000050000000b73656e6465722d7461736b00"
            + "0000047461736b000000127372632f6d61696e2e72733a3135373a3233ffffffff0100000000000006400018eb8b8a9010bc2c"
            + "000000010018eb8b8a9010bc2c18eb8b8a9010c340000000000000000000000000000000005fd8000000000000000300000000"
            + "0000cd1200000000000000000000000000000003000000000000000000000000000000020000000000000001050000000453"
            + "454c460000000000000001000000045441534b000000000000000200000008424c4f434b494e470000000000000000000000"
            + "0752554e54494d4500000000000000000000000845585445524e414c0000000000000000000000045441534bffffffffffff"
            + "ffff010000000c4c415247455f465554555245";
    private static final String FORMAT_1_THREAD = "0100000014746f6b696f2d72756e74696d652d776f726b657201000000020000000000"
            + "0000040008000000000009";
    private static final String FORMAT_1_SOURCE = "0118eb8b8a915b6fda00000001000000000000001418eb8b8a915b6fda0000000000"
            + "00005d0000000000000004000000000000005800000000000000010000018bcfe5687b";

    private static void assertFieldsEqual(Object expected, Object actual) throws Exception {
        List<Field> fields = fields(expected);
        assertTrue(fields.size() >= 3);
        for (Field f : fields) {
            assertEquals(describe(f.get(expected)), describe(f.get(actual)), f.getName());
        }
    }

    private static String describe(Object v) {
        if (v instanceof long[] a) {
            return java.util.Arrays.toString(a);
        }
        if (v instanceof Object[] a) {
            return java.util.Arrays.toString(a);
        }
        if (v instanceof java.util.Set<?> set) {
            return new java.util.TreeSet<>(set.stream().map(String::valueOf).toList()).toString();
        }
        return Objects.toString(v);
    }

    private static List<Field> fields(Object value) {
        List<Field> out = new ArrayList<>();
        for (Field f : value.getClass().getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                out.add(f);
            }
        }
        return out;
    }
}
