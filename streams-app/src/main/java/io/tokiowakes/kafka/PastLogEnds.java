package io.tokiowakes.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Where each input partition's log ended some time ago, from the look-ups of
 * {@link LogEndProgress}: a task whose position is short of that is behind by more than that time.
 * Look-ups are added by one thread; {@link #behind} may be asked from any.
 */
final class PastLogEnds {

    private record Lookup(long atMs, Map<Integer, Long> ends) {
    }

    private final long agoMs;
    /** The newest look-up at least {@link #agoMs} old, and every later one, oldest first. */
    private final Deque<Lookup> lookups = new ArrayDeque<>();
    private volatile Map<Integer, Long> ended = Map.of();

    /** @param agoMs how long ago (ms) the ends asked about are */
    PastLogEnds(long agoMs) {
        this.agoMs = agoMs;
    }

    /**
     * @param atMs when the ends were looked up (ms, wall clock)
     * @param ends end offsets by partition
     */
    void add(long atMs, Map<Integer, Long> ends) {
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
     * @param position the offset after the last record a task read from the partition
     * @return whether the partition's log had ended past {@code position} already the given time
     *         ago, by more than the one offset a transaction's commit marker takes; false when no
     *         look-up is that old
     */
    boolean behind(int partition, long position) {
        Long end = ended.get(partition);
        return end != null && position + 1 < end;
    }
}
