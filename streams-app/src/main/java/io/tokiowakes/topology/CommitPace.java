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
 * Because one ask commits the whole thread, the last ask is kept per stream thread, not per task:
 * the tasks of a thread ask once an interval between them, not once each.
 */
final class CommitPace {

    /** A pace that never asks: Kafka Streams' own interval alone (in-process runs, pacing off). */
    static final CommitPace OFF = new CommitPace(0);

    /** When a task of this stream thread last asked (ms, wall clock); {@link Long#MIN_VALUE} before any did. */
    private static final ThreadLocal<long[]> ASKED = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});

    private final long intervalMs;

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
     * Called from the task's stream thread.
     *
     * @param nowMs    the wall clock (ms)
     * @param caughtUp whether the task is not behind (see its processor)
     * @return whether to ask for a commit now: caught up, and no task of this thread asked within
     *         the last {@code commit.interval.ms} (or the clock went back past the last ask)
     */
    boolean due(long nowMs, boolean caughtUp) {
        if (!isOn() || !caughtUp) {
            return false;
        }
        long[] asked = ASKED.get();
        if (asked[0] != Long.MIN_VALUE && nowMs >= asked[0] && nowMs - asked[0] < intervalMs) {
            return false;
        }
        asked[0] = nowMs;
        return true;
    }

    /** Forgets this thread's last ask: for tests, whose processors share the test's thread. */
    static void forgetThisThread() {
        ASKED.remove();
    }
}
