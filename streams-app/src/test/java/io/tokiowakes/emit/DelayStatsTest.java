package io.tokiowakes.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tokiowakes.json.Json;
import io.tokiowakes.model.DelayHistogram;
import org.junit.jupiter.api.Test;

class DelayStatsTest {

    private static DelayStats stats() {
        DelayHistogram h = new DelayHistogram();
        for (long nanos : new long[] {40_000, 90_000, 1_500_000}) {
            h.record(nanos);
        }
        return DelayStats.of(h);
    }

    @Test
    void readsBackFromItsJsonWithBuckets() {
        DelayStats d = stats();
        assertFalse(d.buckets().isEmpty());
        assertEquals(d, Json.MAPPER.convertValue(Json.MAPPER.valueToTree(d), DelayStats.class));
    }

    @Test
    void readsBackFromItsJsonWhenTheBucketsAreLeftOut() {
        DelayStats d = stats().withoutBuckets();
        assertFalse(Json.MAPPER.valueToTree(d).has("buckets"));
        assertEquals(d, Json.MAPPER.convertValue(Json.MAPPER.valueToTree(d), DelayStats.class));
    }
}
