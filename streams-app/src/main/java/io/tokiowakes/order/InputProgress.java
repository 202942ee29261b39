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

    /**
     * Whether a task reading the partition is behind: the newest record it read was appended
     * a while ago (four backlog intervals, {@code backlog.commit.interval.ms}), and its log had
     * already gone past {@code position} a backlog interval ago, by more than the one offset a
     * transaction's commit marker takes at the end of a log.
     *
     * @param partition an input partition
     * @param position  the offset after the last record the task read (0 before any; a task
     *                  resumed where it last committed is as far as that commit)
     * @param readMs    the Kafka timestamp (ms) the task has read the partition up to
     * @param nowMs     the wall clock (ms)
     * @return false when that is not known (and always in-process, where nothing is behind)
     */
    default boolean behind(int partition, long position, long readMs, long nowMs) {
        return false;
    }

    /**
     * Whether the input read here is a backlog: any of its partitions {@link #behind}, where its
     * task last said it was.
     *
     * @param nowMs the wall clock (ms)
     * @return false when that is not known (and always in-process)
     */
    default boolean anyBehind(long nowMs) {
        return false;
    }
}
