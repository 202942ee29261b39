package io.tokiowakes.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the tasks reading the input partitions are behind. A task is behind when its
 * partition's log had already ended past its position some time ago (from the look-ups of
 * {@link LogEndProgress}), and the newest record it read was appended more than a given lag ago.
 * The first says there is more to read than what just arrived; the second that what the task
 * reads is old. Look-ups are added by one thread; {@link #behind} and {@link #anyBehind} may be
 * asked from any.
 */
final class PastLogEnds {

    private record Lookup(long atMs, Map<Integer, Long> ends) {
    }

    /** Where an ingest task last said it was. */
    private record Read(long position, long readMs) {
    }

    /**
     * A task is behind only once what it reads was appended more than this many backlog intervals
     * ago. Paced, an edge waits for paced commits (its ingest's, its own, and, reading
     * {@code read_committed}, other threads' open transactions on the same partitions): measured,
     * a live job whose ingest trailed by a second had its edges 2-3 s late where unpaced they were
     * 0.5 s (README, Speed). A moment's lag (a collection, a compile, a busy spell) keeps the short
     * commits; a job seconds behind gains the rate and no longer notices the wait.
     */
    static final int LIVE_LAGS = 4;

    private final long agoMs;
    private final long lagMs;
    /** The newest look-up at least {@link #agoMs} old, and every later one, oldest first. */
    private final Deque<Lookup> lookups = new ArrayDeque<>();
    private volatile Map<Integer, Long> ended = Map.of();
    private volatile Map<Integer, Long> committed = Map.of();
    /** Where each ingest task here last said it was, by partition. */
    private final Map<Integer, Read> reads = new ConcurrentHashMap<>();

    /**
     * @param backlogMs {@code backlog.commit.interval.ms} (ms)
     * @return ends asked about that long ago, and a lag of {@link #LIVE_LAGS} times that
     */
    static PastLogEnds forBacklog(long backlogMs) {
        return new PastLogEnds(backlogMs, LIVE_LAGS * backlogMs);
    }

    /**
     * @param agoMs how long ago (ms) the ends asked about are
     * @param lagMs how long ago (ms) the newest record a task read was appended, at least, for the
     *              task to be behind
     */
    PastLogEnds(long agoMs, long lagMs) {
        this.agoMs = agoMs;
        this.lagMs = lagMs;
    }

    /**
     * @param atMs      when the ends were known (ms, wall clock): taken once the look-up answered,
     *                  so that a slow answer cannot make an end look older than it is
     * @param ends      end offsets (of committed transactions) by partition
     * @param committed the offsets committed by the tasks here, by partition: the consumer's
     *                  position at their last commit, past any commit markers and aborted records
     */
    void add(long atMs, Map<Integer, Long> ends, Map<Integer, Long> committed) {
        this.committed = Map.copyOf(committed);
        // A partition whose task left this instance is no longer read here.
        reads.keySet().retainAll(committed.keySet());
        lookups.addLast(new Lookup(atMs, Map.copyOf(ends)));
        long cutoff = atMs - agoMs;
        while (lookups.size() > 1 && second().atMs() <= cutoff) {
            lookups.removeFirst();
        }
        Lookup oldest = lookups.getFirst();
        ended = oldest.atMs() <= cutoff ? oldest.ends() : Map.of();
    }

    private Lookup second() {
        Iterator<Lookup> it = lookups.iterator();
        it.next();
        return it.next();
    }

    /**
     * @param partition an input partition
     * @param position  the offset after the last record a task read from it since it started
     *                  (0 before any): a task resumed on a partition that gets no records is as
     *                  far as its last commit
     * @param readMs    the Kafka timestamp (ms; the input topic's {@code LogAppendTime}) the task
     *                  has read its partition up to: its newest record's, or later where the log's
     *                  end showed it read to the end ({@link Long#MIN_VALUE} before any)
     * @param nowMs     the wall clock (ms)
     * @return whether {@code readMs} is more than the lag before {@code nowMs}, and the partition's
     *         log had ended past both {@code position} and the committed offset already the given
     *         time ago, by more than the one offset a transaction's commit marker takes after the
     *         last record read; false when no look-up is that old
     */
    boolean behind(int partition, long position, long readMs, long nowMs) {
        Read read = new Read(position, readMs);
        reads.put(partition, read);
        return behindAt(partition, read, nowMs);
    }

    /**
     * @param nowMs the wall clock (ms)
     * @return whether any input partition read here is {@link #behind}, where its task last said
     *         it was: the input this instance reads is then a backlog
     */
    boolean anyBehind(long nowMs) {
        for (Map.Entry<Integer, Read> r : reads.entrySet()) {
            if (behindAt(r.getKey(), r.getValue(), nowMs)) {
                return true;
            }
        }
        return false;
    }

    private boolean behindAt(int partition, Read read, long nowMs) {
        if (read.readMs() >= nowMs - lagMs) {
            return false;
        }
        Long end = ended.get(partition);
        if (end == null) {
            return false;
        }
        long at = Math.max(read.position(), committed.getOrDefault(partition, 0L));
        return at + 1 < end;
    }
}
