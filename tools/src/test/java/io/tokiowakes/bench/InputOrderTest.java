package io.tokiowakes.bench;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark's bound on late records counts exactly the records the input put out of order. */
class InputOrderTest {

    @Test
    void countsARecordAppendedAtLeastTheWindowAfterALaterOne() {
        assertEquals(new InputOrder.Disorder(1, 400), InputOrder.of(new long[] {1, 500, 2, 100}, 2, 200));
        assertEquals(new InputOrder.Disorder(1, 200), InputOrder.of(new long[] {1, 300, 2, 100}, 2, 200),
                "a claim can be the append time of the record's own batch");
        assertEquals(new InputOrder.Disorder(0, 199), InputOrder.of(new long[] {1, 299, 2, 100}, 2, 200),
                "within the window");
        assertEquals(new InputOrder.Disorder(0, 0), InputOrder.of(new long[] {2, 500, 1, 100}, 2, 200),
                "in seq order");
    }

    @Test
    void agreesWithComparingEveryPair() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(60);
            long[] pairs = new long[2 * n];
            for (int i = 0; i < n; i++) {
                pairs[2 * i] = i * 3L + random.nextInt(3); // distinct seqs
                pairs[2 * i + 1] = random.nextInt(1000);
            }
            shuffle(pairs, random);
            long window = random.nextInt(400);
            long expected = 0;
            long maxMs = 0;
            for (int i = 0; i < n; i++) {
                boolean beyond = false;
                for (int j = 0; j < n; j++) {
                    if (pairs[2 * j] > pairs[2 * i]) {
                        long behind = pairs[2 * i + 1] - pairs[2 * j + 1];
                        beyond |= behind >= window;
                        maxMs = Math.max(maxMs, behind);
                    }
                }
                expected += beyond ? 1 : 0;
            }
            assertEquals(new InputOrder.Disorder(expected, maxMs), InputOrder.of(pairs, n, window));
        }
    }

    private static void shuffle(long[] pairs, Random random) {
        for (int i = pairs.length / 2 - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long seq = pairs[2 * i];
            long at = pairs[2 * i + 1];
            pairs[2 * i] = pairs[2 * j];
            pairs[2 * i + 1] = pairs[2 * j + 1];
            pairs[2 * j] = seq;
            pairs[2 * j + 1] = at;
        }
    }
}
