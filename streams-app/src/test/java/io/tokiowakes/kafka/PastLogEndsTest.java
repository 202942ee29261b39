package io.tokiowakes.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task is behind when its partition's log had passed its position the backlog interval ago. */
class PastLogEndsTest {

    private static final Map<Integer, Long> NONE_COMMITTED = Map.of();

    @Test
    void nothingIsBehindBeforeALookupIsOldEnough() {
        PastLogEnds ends = new PastLogEnds(1_000);
        ends.add(0, Map.of(0, 500L), NONE_COMMITTED);
        ends.add(600, Map.of(0, 900L), NONE_COMMITTED);
        assertFalse(ends.behind(0, 0), "no look-up is 1 s old yet");
        ends.add(1_000, Map.of(0, 1_200L), NONE_COMMITTED);
        assertTrue(ends.behind(0, 0), "the log had 500 records 1 s ago");
        assertFalse(ends.behind(0, 500), "at the end of 1 s ago, though 700 behind now");
    }

    @Test
    void theNewestLookupThatOldCounts() {
        PastLogEnds ends = new PastLogEnds(1_000);
        ends.add(0, Map.of(0, 100L), NONE_COMMITTED);
        ends.add(200, Map.of(0, 300L), NONE_COMMITTED);
        ends.add(400, Map.of(0, 600L), NONE_COMMITTED);
        ends.add(1_300, Map.of(0, 2_000L), NONE_COMMITTED);
        // 1,300 - 1,000 = 300: the look-up at 200 is the newest at least 1 s old.
        assertTrue(ends.behind(0, 200));
        assertFalse(ends.behind(0, 300));
    }

    @Test
    void aCommitMarkerAtTheEndIsNotARecordToRead() {
        PastLogEnds ends = new PastLogEnds(1_000);
        ends.add(0, Map.of(0, 11L, 1, 12L), NONE_COMMITTED);
        ends.add(1_000, Map.of(0, 11L, 1, 12L), NONE_COMMITTED);
        assertFalse(ends.behind(0, 10), "offset 10 is the marker of the transaction of record 9");
        assertTrue(ends.behind(1, 10), "two short is a record still to read");
        assertFalse(ends.behind(2, 0), "a partition never looked up");
    }

    /**
     * A task resumed after a restart or a rebalance has read nothing yet; on a partition that gets
     * no new records it never will, and its last commit says how far it is.
     */
    @Test
    void aTaskResumedOnAQuietPartitionIsAsFarAsItsLastCommit() {
        PastLogEnds ends = new PastLogEnds(1_000);
        ends.add(0, Map.of(0, 10_000L, 1, 10_000L), Map.of(0, 10_000L, 1, 4_000L));
        ends.add(1_000, Map.of(0, 10_000L, 1, 10_000L), Map.of(0, 10_000L, 1, 4_000L));
        assertFalse(ends.behind(0, 0), "committed up to the end");
        assertTrue(ends.behind(1, 0), "committed 6,000 short of where the log ended 1 s ago");
        assertFalse(ends.behind(1, 10_000), "read to the end since, not committed yet");
    }

    @Test
    void theInputIsBehindWhileAnyPartitionReadHereIs() {
        PastLogEnds ends = new PastLogEnds(1_000);
        Map<Integer, Long> here = Map.of(0, 0L, 1, 0L);
        ends.add(0, Map.of(0, 500L, 1, 500L), here);
        ends.add(1_000, Map.of(0, 1_000L, 1, 1_000L), here);
        assertFalse(ends.anyBehind(), "no task has said where it is");
        assertFalse(ends.behind(0, 900));
        assertFalse(ends.anyBehind(), "partition 0 at 900: past where its log ended 1 s ago");
        assertTrue(ends.behind(1, 100));
        assertTrue(ends.anyBehind(), "partition 1 is 400 short of where its log ended 1 s ago");
        ends.behind(1, 500);
        assertFalse(ends.anyBehind(), "partition 1 read on since");
        ends.behind(1, 100);
        ends.add(1_200, Map.of(0, 1_000L), Map.of(0, 900L));
        assertFalse(ends.anyBehind(), "partition 1's task left: it is not read here any more");
    }
}
