package io.tokiowakes.order;

/**
 * How far an input partition is known to be read, from outside the records: once a partition
 * has been read to the end of its log, no record appended before then can still arrive.
 */
@FunctionalInterface
public interface InputProgress {

    /** In-process runs (analyze, tests): whatever was piped in has been read. */
    InputProgress EVERYTHING_READ = partition -> Long.MAX_VALUE;

    /**
     * @return a Kafka timestamp such that every record of the partition appended before it has
     *         been read, or {@link Long#MIN_VALUE} when that is not known
     */
    long readUpTo(int partition);
}
