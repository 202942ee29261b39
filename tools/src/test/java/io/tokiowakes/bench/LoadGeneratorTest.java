package io.tokiowakes.bench;

import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.model.RecordType;
import io.tokiowakes.model.TraceRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGeneratorTest {

    /** The benchmark sends each record under the key the generator gives: it must be the contract's. */
    @Test
    void keysAreTheContractKeysOfTheirRecords() throws Exception {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        List<String[]> out = new ArrayList<>();
        long n = new LoadGenerator(5, 30, 3).generateKeyed(20_000, (key, line) -> out.add(new String[] {key, line}));
        assertEquals(n, out.size());
        assertTrue(out.stream().map(k -> k[0]).distinct().count() > 100, "records of many spans and threads");
        for (String[] k : out) {
            assertEquals(decoder.decode(k[1].getBytes(StandardCharsets.UTF_8)).contractKey(), k[0], k[1]);
        }
    }

    /**
     * As in a real service, resource activity is spread over many resources: no span's key holds
     * 10 % or more of a 1-process trace (the benchmark's partitions are filled by these keys). Each
     * task's own resource is closed with it, so the live resources follow the live tasks.
     */
    @Test
    void noSpanKeyHoldsMuchOfASourceAndResourcesCloseWithTheirTasks() throws Exception {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        Map<String, Integer> perKey = new HashMap<>();
        Set<Long> openResources = new HashSet<>();
        LoadGenerator generator = new LoadGenerator(1, 200, 5);
        long n = generator.generateKeyed(200_000, (key, line) -> {
            perKey.merge(key, 1, Integer::sum);
            try {
                TraceRecord r = decoder.decode(line.getBytes(StandardCharsets.UTF_8));
                if (r.isResourceSpanNew()) {
                    openResources.add(r.spanId());
                } else if (r.type() == RecordType.SPAN_CLOSE) {
                    openResources.remove(r.spanId());
                }
            } catch (InvalidRecordException e) {
                throw new AssertionError(line, e);
            }
        });
        int largest = perKey.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(largest < n / 10, "the busiest key holds " + largest + " of " + n + " records");
        assertTrue(openResources.size() > 1, "resources besides the runtime's own: " + openResources.size());
        // Each live task's own and the runtime-wide one (async ops close within their poll).
        assertTrue(openResources.size() <= generator.liveTasks() + 1,
                openResources.size() + " resources open for " + generator.liveTasks() + " live tasks");
    }

    /** The line-only form writes the same records as the keyed one. */
    @Test
    void bothFormsWriteTheSameLines() {
        List<String> plain = new ArrayList<>();
        List<String> keyed = new ArrayList<>();
        new LoadGenerator(3, 20, 9).generate(5_000, plain::add);
        new LoadGenerator(3, 20, 9).generateKeyed(5_000, (key, line) -> keyed.add(line));
        assertEquals(plain, keyed);
    }
}
