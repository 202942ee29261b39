package io.tokiowakes.emit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokiowakes.model.DelayHistogram;

import io.tokiowakes.model.WakeKind;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A distribution of wake-to-poll delays, as outputs give it: how many, the median, the 99th
 * percentile and the largest, and the histogram's buckets (nanoseconds of trace time). The
 * percentiles are the top of the bucket they fall in: at most 12.5 % above the true value.
 * The buckets are left out of the JSON where none are given ({@link #withoutBuckets()}).
 */
public record DelayStats(long count, long p50Nanos, long p99Nanos, long maxNanos,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DelayHistogram.Bucket> buckets) {

    public DelayStats {
        // Absent when read back from JSON that left them out.
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    public static DelayStats of(DelayHistogram h) {
        return new DelayStats(h.count(), h.percentile(0.5), h.percentile(0.99), h.max(), h.buckets());
    }

    /**
     * @param byKind  histograms indexed by {@code WakeKind} ordinal, null where a kind has none
     *                ({@code TaskState#delaysByKind})
     * @param buckets whether to give the buckets too, or only the percentiles
     * @return the stats of each kind that has delays, in kind order
     */
    public static Map<WakeKind, DelayStats> byKind(DelayHistogram[] byKind, boolean buckets) {
        Map<WakeKind, DelayStats> out = new EnumMap<>(WakeKind.class);
        for (WakeKind k : WakeKind.values()) {
            DelayHistogram h = byKind[k.ordinal()];
            if (h != null) {
                DelayStats d = of(h);
                out.put(k, buckets ? d : d.withoutBuckets());
            }
        }
        return out;
    }

    /** The same figures without the buckets, for places that show only the percentiles. */
    public DelayStats withoutBuckets() {
        return new DelayStats(count, p50Nanos, p99Nanos, maxNanos, List.of());
    }
}
