package io.tokiowakes.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each input partition's log ended some time ago, from the look-ups of
 * {@link LogEndProgress}: a task whose position is short of that is behind by more than that time.
 * Look-ups are added by one thread; {@link #behind} and {@link #anyBehind} may be asked from any.
 */
final class PastLogEnds {

    private record Lookup(long atMs, Map<Integer, Long> ends) {
    }

    private final long agoMs;
    /** The newest look-up at least {@link #agoMs} old, and every later one, oldest first. */
    private final Deque<Lookup> lookups = new ArrayDeque<>();
    private volatile Map<Integer, Long> ended = Map.of();
    private volatile Map<Integer, Long> committed = Map.of();
    /** The last position each ingest task here said it had, by partition. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

    /** @param agoMs how long ago (ms) the ends asked about are */
    PastLogEnds(long agoMs) {
        this.agoMs = agoMs;
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
        positions.keySet().retainAll(committed.keySet());
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
     * @return whether the partition's log had ended past both {@code position} and the committed
     *         offset already the given time ago, by more than the one offset a transaction's commit
     *         marker takes after the last record read; false when no look-up is that old
     */
    boolean behind(int partition, long position) {
        positions.put(partition, position);
        return behindAt(partition, position);
    }

    /**
     * @return whether any input partition read here is {@link #behind}, at the position its task
     *         last gave: the input this instance reads is then a backlog
     */
    boolean anyBehind() {
        for (Map.Entry<Integer, Long> p : positions.entrySet()) {
            if (behindAt(p.getKey(), p.getValue())) {
                return true;
            }
        }
        return false;
    }

    private boolean behindAt(int partition, long position) {
        Long end = ended.get(partition);
        if (end == null) {
            return false;
        }
        long at = Math.max(position, committed.getOrDefault(partition, 0L));
        return at + 1 < end;
    }
}
