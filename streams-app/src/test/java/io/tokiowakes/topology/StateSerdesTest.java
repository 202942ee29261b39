package io.tokiowakes.topology;

import io.tokiowakes.classify.WakeKind;
import io.tokiowakes.detect.AnomalyType;
import io.tokiowakes.detect.TaskState;
import io.tokiowakes.engine.SourceState;
import io.tokiowakes.ingest.TaskInfo;
import io.tokiowakes.json.JsonSerde;
import io.tokiowakes.resolve.ThreadState;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of the stored state survives the binary serdes; state stored as JSON still loads. */
class StateSerdesTest {

    @Test
    void everyFieldOfEveryStateValueSurvivesARoundTrip() throws Exception {
        roundTrip(StateSerdes.tasks(), TaskState::new);
        roundTrip(StateSerdes.threads(), ThreadState::new);
        roundTrip(StateSerdes.sources(), SourceState::new);
    }

    @Test
    void stateWrittenAsJsonByEarlierVersionsIsRead() throws Exception {
        TaskState t = filled(TaskState::new);
        byte[] json = JsonSerde.of(TaskState.class).serializer().serialize("t", t);
        assertFieldsEqual(t, StateSerdes.tasks().deserializer().deserialize("t", json));
        SourceState s = filled(SourceState::new);
        byte[] sourceJson = JsonSerde.of(SourceState.class).serializer().serialize("t", s);
        assertFieldsEqual(s, StateSerdes.sources().deserializer().deserialize("t", sourceJson));
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
            } else if (t == java.util.Set.class) {
                f.set(value, new HashSet<>(List.of(n, -n)));
            } else if (t == List.class) {
                f.set(value, new ArrayList<>(List.of(n, -n, n)));
            } else {
                throw new AssertionError("no test value for " + f + ": add one, and the field to the serde");
            }
            assertNotEquals(describe(f.get(blank)), describe(f.get(value)), f.getName());
        }
        return value;
    }

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
