package io.tokiowakes.topology;

/**
 * When a task asks Kafka Streams for a commit. Under exactly-once each commit of a stream thread
 * is one transaction over all its tasks: the producer's flush, the changelog writes of every store
 * changed since the last commit, and the broker's markers on every partition written. Caught up,
 * a wake edge waits for two commits (the ingest's batch, then its own), so they come every
 * {@code commit.interval.ms}; behind, an edge waits for the backlog anyway, and the cost per
 * commit is what holds the rate down. So on a cluster Kafka Streams' own interval is
 * {@code backlog.commit.interval.ms}, and a task that is not behind asks for a commit every
 * {@code commit.interval.ms} ({@code ProcessorContext.commit()}: Kafka Streams then commits every
 * task of the thread, {@code TaskManager.maybeCommitActiveTasksPerUserRequested}).
 * <p>
 * Not thread-safe: one per task, called from its stream thread.
 */
final class CommitPace {

    /** A pace that never asks: Kafka Streams' own interval alone (in-process runs, pacing off). */
    static final CommitPace OFF = new CommitPace(0);

    private final long intervalMs;
    /** When it last asked (ms, wall clock); {@link Long#MIN_VALUE} before it first does. */
    private long askedMs = Long.MIN_VALUE;

    private CommitPace(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** @return the pace the settings ask for ({@link JobSettings#commitsPaced()}), or {@link #OFF} */
    static CommitPace of(JobSettings settings) {
        return settings.commitsPaced() ? new CommitPace(settings.commitMs()) : OFF;
    }

    /** Whether this pace ever asks: a task need not watch how far behind it is otherwise. */
    boolean isOn() {
        return this != OFF;
    }

    /**
     * @param nowMs    the wall clock (ms)
     * @param caughtUp whether the task is no more than {@code backlog.commit.interval.ms} behind
     * @return whether to ask for a commit now: caught up, and not asked within the last
     *         {@code commit.interval.ms}
     */
    boolean due(long nowMs, boolean caughtUp) {
        if (!isOn() || !caughtUp || (askedMs != Long.MIN_VALUE && nowMs - askedMs < intervalMs)) {
            return false;
        }
        askedMs = nowMs;
        return true;
    }
}
