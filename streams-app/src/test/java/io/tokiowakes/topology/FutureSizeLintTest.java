package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.json.Json;
import io.tokiowakes.model.AnomalyType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The future-size lints over every combination of {@code size.bytes}, {@code original_size.bytes}
 * and task kind: {@code LARGE_FUTURE} reads {@code size.bytes} only (what sits in the task), and
 * {@code AUTO_BOXED_FUTURE} needs an original size that differs from it.
 */
class FutureSizeLintTest {

    private static final Long[] SIZES = {null, 0L, 8L, 1023L, 1024L, 1600L, 20480L};
    private static final String[] KINDS = {"task", "local", "blocking", "block_on"};

    private record Spawned(long span, Long size, Long original, String kind) {
        /** The rule, said once more independently of the job's code. */
        List<AnomalyType> expected(long threshold) {
            List<AnomalyType> out = new ArrayList<>();
            boolean linted = kind.equals("task") || kind.equals("local");
            if (linted && original != null && !original.equals(size)) {
                out.add(AnomalyType.AUTO_BOXED_FUTURE);
            }
            if (linted && size != null && size >= threshold) {
                out.add(AnomalyType.LARGE_FUTURE);
            }
            return out;
        }
    }

    @Test
    void everyCombinationOfSizesAndKindsGetsExactlyItsLints() {
        TraceScript t = new TraceScript("svc");
        List<Spawned> spawned = new ArrayList<>();
        long span = 100;
        for (String kind : KINDS) {
            for (Long size : SIZES) {
                // Not boxed; boxed from a larger future; an original equal to the size.
                List<Long> originals = new ArrayList<>(Arrays.asList(null, 20480L, 2048L));
                if (!originals.contains(size)) {
                    originals.add(size);
                }
                for (Long original : originals) {
                    Spawned s = new Spawned(span++, size, original, kind);
                    spawned.add(s);
                    ObjectNode f = Json.MAPPER.createObjectNode();
                    f.put("kind", kind).put("task.name", "t" + s.span()).put("task.id", s.span())
                            .put("loc.file", "src/s.rs").put("loc.line", 1).put("loc.col", 1);
                    if (size != null) {
                        f.put("size.bytes", size);
                    }
                    if (original != null) {
                        f.put("original_size.bytes", original);
                    }
                    t.spanNew(s.span(), null, "runtime.spawn",
                            kind.equals("blocking") ? "tokio::task::blocking" : "tokio::task", f);
                }
            }
        }
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            long threshold = h.settings.lints().largeFutureBytes();
            int expectedTotal = 0;
            for (Spawned s : spawned) {
                List<AnomalyType> expected = s.expected(threshold);
                expectedTotal += expected.size();
                assertEquals(expected, h.anomalyTypesOf(s.span()), s.toString());
            }
            assertEquals(expectedTotal, h.allAnomalies().size());
        }
    }

    @Test
    void theDetailSpeaksOfTheSizeInTheTask() {
        TraceScript t = new TraceScript("svc")
                .taskWith(8, "boxed", Json.MAPPER.createObjectNode().put("size.bytes", 4096).put("original_size.bytes", 20480))
                .taskWith(9, "edge", Json.MAPPER.createObjectNode().put("size.bytes", 1024));
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            Anomaly boxedLarge = h.anomaliesOf(8).stream().filter(a -> a.type() == AnomalyType.LARGE_FUTURE)
                    .findFirst().orElseThrow();
            assertEquals("future is 4096 bytes (>= 1024)", boxedLarge.detail());
            assertEquals(List.of(AnomalyType.LARGE_FUTURE), h.anomalyTypesOf(9));
        }
    }
}
