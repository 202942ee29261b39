package io.tokiowakes.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each thread count's verdict is the median of its runs: one run on a slow minute must not set it. */
class BenchmarkMedianTest {

    @Test
    void medianIsTheMiddleRunWhateverTheOrder() {
        assertEquals(0.36, Benchmark.median(List.of(0.54, 0.33, 0.36)));
        assertEquals(0.36, Benchmark.median(List.of(0.33, 0.36, 0.54)));
        assertEquals(0.5, Benchmark.median(List.of(0.5)));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleRunsAndLeavesTheListAlone() {
        List<Double> runs = new ArrayList<>(List.of(0.4, 0.1, 0.3, 0.2));
        assertEquals(0.25, Benchmark.median(runs), 1e-12);
        assertEquals(List.of(0.4, 0.1, 0.3, 0.2), runs);
    }
}
