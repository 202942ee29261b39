package io.tokiowakes.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayHistogramTest {

    /**
     * Property: for any values, a percentile read from the histogram is at least the true one and
     * at most 12.5 % above it (and never above the largest value), count and max are exact, and
     * the buckets hold every value between their bounds.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void percentilesAreWithinAnEighthAboveTheTrueValue(long seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(3000);
        long[] values = new long[n];
        DelayHistogram h = new DelayHistogram();
        for (int i = 0; i < n; i++) {
            // Nanoseconds to minutes, log-uniform: every scale a delay can have.
            values[i] = (long) Math.pow(10, random.nextDouble() * 11);
            h.record(values[i]);
        }
        Arrays.sort(values);
        assertEquals(n, h.count());
        assertEquals(values[n - 1], h.max());
        for (double p : new double[] {0.01, 0.5, 0.9, 0.99, 1.0}) {
            long truth = values[(int) Math.max(0, Math.ceil(p * n) - 1)];
            long read = h.percentile(p);
            assertTrue(read >= truth && read <= truth + truth / 8 + 1 && read <= h.max(),
                    "p" + p + ": " + read + " for " + truth);
        }
        long inBuckets = 0;
        for (DelayHistogram.Bucket b : h.buckets()) {
            long c = Arrays.stream(values).filter(v -> v >= b.fromNanos() && v < b.toNanos()).count();
            assertEquals(c, b.count(), b.toString());
            inBuckets += b.count();
        }
        assertEquals(n, inBuckets);
        assertEquals(h, DelayHistogram.of(h.buckets(), h.max()), "what is stored rebuilds it");
        int[] indexes = new int[h.bucketsInUse()];
        long[] counts = new long[h.bucketsInUse()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = h.bucketIndex(i);
            counts[i] = h.bucketCount(i);
        }
        assertEquals(h, DelayHistogram.ofBuckets(indexes, counts, h.max()), "and so do its bucket numbers");
    }

    @Test
    void mergingIsRecordingBoth() {
        DelayHistogram a = new DelayHistogram();
        DelayHistogram b = new DelayHistogram();
        DelayHistogram both = new DelayHistogram();
        Random random = new Random(9);
        for (int i = 0; i < 500; i++) {
            long v = random.nextInt(1_000_000);
            (i % 3 == 0 ? a : b).record(v);
            both.record(v);
        }
        a.merge(b);
        assertEquals(both, a);
    }

    @Test
    void edgesOfTheRange() {
        DelayHistogram h = new DelayHistogram();
        assertEquals(0, h.percentile(0.5));
        h.record(-5); // clocks of two threads: counts as no wait
        h.record(Long.MAX_VALUE);
        assertEquals(List.of(0L, Long.MAX_VALUE), h.buckets().stream().map(b -> b.toNanos() == Long.MAX_VALUE
                ? Long.MAX_VALUE : b.fromNanos()).toList());
        assertEquals(0, h.percentile(0.5));
        assertEquals(Long.MAX_VALUE, h.percentile(1.0));
        assertThrows(IllegalArgumentException.class,
                () -> DelayHistogram.of(List.of(new DelayHistogram.Bucket(17, 19, 1)), 18));
        assertThrows(IllegalArgumentException.class,
                () -> DelayHistogram.ofBuckets(new int[] {5, 5}, new long[] {1, 1}, 5));
    }
}
