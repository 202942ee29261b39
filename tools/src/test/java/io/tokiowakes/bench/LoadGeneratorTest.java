package io.tokiowakes.bench;

import io.tokiowakes.ingest.TraceDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
