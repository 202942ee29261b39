package io.tokiowakes.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A distribution of durations in nanoseconds, in log-linear buckets as HdrHistogram (which
 * tokio-console keeps its poll and scheduled times in, console-subscriber's {@code stats.rs})
 * keeps them: every power of two is cut into 8 buckets, so a percentile read from it is within
 * 12.5 % of the true value, at any scale; below 16 ns every value has its own bucket. Only
 * buckets that hold values are kept: a task's wakes fall in a few of them.
 */
public final class DelayHistogram {

    /** 2^3 buckets per power of two. */
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;

    /** Indexes of the buckets in use, ascending, and how many values each holds. */
    private int[] index = new int[0];
    private long[] counts = new long[0];
    private long count;
    private long max;

    /** One bucket: values from {@code fromNanos} up to, not including, {@code toNanos}. */
    public record Bucket(long fromNanos, long toNanos, long count) {
    }

    /** What is kept of it (as JSON too): the buckets in use and the largest value. */
    public record Stored(List<Bucket> buckets, long max) {
    }

    /** Adds one duration; a negative one (clocks of two threads) counts as 0. */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        add(bucketOf(v), 1);
        count++;
        max = Math.max(max, v);
    }

    /** Adds every value of another histogram. */
    public void merge(DelayHistogram other) {
        for (int i = 0; i < other.index.length; i++) {
            add(other.index[i], other.counts[i]);
        }
        count += other.count;
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    /** The largest value recorded, exactly; 0 when empty. */
    public long max() {
        return max;
    }

    /**
     * @param fraction 0.5 for the median, 0.99 for p99
     * @return the highest value of the bucket holding that rank (at most {@link #max()}), so the
     *         true value is at most 12.5 % below it; 0 when empty
     */
    public long percentile(double fraction) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * count));
        long seen = 0;
        for (int i = 0; i < index.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long upper = upperOf(index[i]);
                // The last bucket, saturated at Long.MAX_VALUE, holds that value too.
                return Math.min(max, upper == Long.MAX_VALUE ? upper : upper - 1);
            }
        }
        return max;
    }

    /** The buckets that hold values, lowest first. */
    public List<Bucket> buckets() {
        List<Bucket> out = new ArrayList<>(index.length);
        for (int i = 0; i < index.length; i++) {
            out.add(new Bucket(lowerOf(index[i]), upperOf(index[i]), counts[i]));
        }
        return out;
    }

    /** Buckets in use: with {@link #bucketIndex} and {@link #bucketCount}, what a compact store keeps. */
    public int bucketsInUse() {
        return index.length;
    }

    /** The {@code i}-th bucket in use (ascending): its number in this histogram's fixed layout. */
    public int bucketIndex(int i) {
        return index[i];
    }

    /** The values in the {@code i}-th bucket in use. */
    public long bucketCount(int i) {
        return counts[i];
    }

    /**
     * Rebuilds a histogram from its buckets in use as {@link #bucketIndex} and {@link #bucketCount} gave them.
     *
     * @throws IllegalArgumentException when the buckets are not ascending or a count is negative
     */
    public static DelayHistogram ofBuckets(int[] indexes, long[] counts, long max) {
        DelayHistogram h = new DelayHistogram();
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] < 0 || (i > 0 && indexes[i] <= indexes[i - 1]) || counts[i] < 0) {
                throw new IllegalArgumentException("not a bucket list: bucket " + indexes[i] + " holding " + counts[i]);
            }
            h.count += counts[i];
        }
        h.index = indexes.clone();
        h.counts = counts.clone();
        h.max = max;
        return h;
    }

    @JsonValue
    public Stored stored() {
        return new Stored(buckets(), max);
    }

    @JsonCreator
    public static DelayHistogram of(Stored stored) {
        return of(stored.buckets(), stored.max());
    }

    /**
     * Rebuilds a histogram from what {@link #buckets()} and {@link #max()} gave (a stored one).
     *
     * @throws IllegalArgumentException when a bucket's bounds are not one of this histogram's
     */
    public static DelayHistogram of(List<Bucket> buckets, long max) {
        DelayHistogram h = new DelayHistogram();
        for (Bucket b : buckets) {
            int i = bucketOf(b.fromNanos());
            if (lowerOf(i) != b.fromNanos() || upperOf(i) != b.toNanos() || b.count() < 0) {
                throw new IllegalArgumentException("not a bucket: " + b);
            }
            h.add(i, b.count());
            h.count += b.count();
        }
        h.max = max;
        return h;
    }

    static int bucketOf(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
        return (exp - SUB_BITS + 1) * SUB + sub;
    }

    static long lowerOf(int bucket) {
        if (bucket < 2 * SUB) {
            return bucket;
        }
        int exp = bucket / SUB + SUB_BITS - 1;
        return (long) (SUB + bucket % SUB) << (exp - SUB_BITS);
    }

    static long upperOf(int bucket) {
        if (bucket < 2 * SUB) {
            return bucket + 1;
        }
        int exp = bucket / SUB + SUB_BITS - 1;
        long width = 1L << (exp - SUB_BITS);
        // The last bucket ends past Long.MAX_VALUE: saturate.
        long upper = lowerOf(bucket) + width;
        return upper < 0 ? Long.MAX_VALUE : upper;
    }

    private void add(int bucket, long n) {
        int at = Arrays.binarySearch(index, bucket);
        if (at >= 0) {
            counts[at] += n;
            return;
        }
        int insert = -at - 1;
        int[] ni = new int[index.length + 1];
        long[] nc = new long[counts.length + 1];
        System.arraycopy(index, 0, ni, 0, insert);
        System.arraycopy(counts, 0, nc, 0, insert);
        ni[insert] = bucket;
        nc[insert] = n;
        System.arraycopy(index, insert, ni, insert + 1, index.length - insert);
        System.arraycopy(counts, insert, nc, insert + 1, counts.length - insert);
        index = ni;
        counts = nc;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelayHistogram h && h.count == count && h.max == max && Arrays.equals(h.index, index)
                && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(index) * 31 + Long.hashCode(count);
    }

    @Override
    public String toString() {
        return "DelayHistogram" + buckets() + " max " + max;
    }
}
