package io.tokiowakes.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task is behind when its partition's log had passed its position the backlog interval ago and
 * what it reads was appended longer ago than the lag.
 */
class PastLogEndsTest {

    private static final Map<Integer, Long> NONE_COMMITTED = Map.of();
    private static final long LAG_MS = 4_000;
    /** Reading records appended long before every look-up here. */
    private static final long OLD = -10_000;
    private static final long NOW = 1_300;

    @Test
    void nothingIsBehindBeforeALookupIsOldEnough() {
        PastLogEnds ends = new PastLogEnds(1_000, LAG_MS);
        ends.add(0, Map.of(0, 500L), NONE_COMMITTED);
        ends.add(600, Map.of(0, 900L), NONE_COMMITTED);
        assertFalse(ends.behind(0, 0, OLD, NOW), "no look-up is 1 s old yet");
        ends.add(1_000, Map.of(0, 1_200L), NONE_COMMITTED);
        assertTrue(ends.behind(0, 0, OLD, NOW), "the log had 500 records 1 s ago");
        assertFalse(ends.behind(0, 500, OLD, NOW), "at the end of 1 s ago, though 700 behind now");
    }

    @Test
    void theNewestLookupThatOldCounts() {
        PastLogEnds ends = new PastLogEnds(1_000, LAG_MS);
        ends.add(0, Map.of(0, 100L), NONE_COMMITTED);
        ends.add(200, Map.of(0, 300L), NONE_COMMITTED);
        ends.add(400, Map.of(0, 600L), NONE_COMMITTED);
        ends.add(1_300, Map.of(0, 2_000L), NONE_COMMITTED);
        // 1,300 - 1,000 = 300: the look-up at 200 is the newest at least 1 s old.
        assertTrue(ends.behind(0, 200, OLD, NOW));
        assertFalse(ends.behind(0, 300, OLD, NOW));
    }

    @Test
    void aCommitMarkerAtTheEndIsNotARecordToRead() {
        PastLogEnds ends = lookedUp(Map.of(0, 11L, 1, 12L), Map.of(0, 11L, 1, 12L), NONE_COMMITTED);
        assertFalse(ends.behind(0, 10, OLD, NOW), "offset 10 is the marker of the transaction of record 9");
        assertTrue(ends.behind(1, 10, OLD, NOW), "two short is a record still to read");
        assertFalse(ends.behind(2, 0, OLD, NOW), "a partition never looked up");
    }

    /**
     * A task resumed after a restart or a rebalance has read nothing yet; on a partition that gets
     * no new records it never will, and its last commit says how far it is.
     */
    @Test
    void aTaskResumedOnAQuietPartitionIsAsFarAsItsLastCommit() {
        PastLogEnds ends = lookedUp(Map.of(0, 10_000L, 1, 10_000L), Map.of(0, 10_000L, 1, 10_000L), Map.of(0, 10_000L, 1, 4_000L));
        assertFalse(ends.behind(0, 0, OLD, NOW), "committed up to the end");
        assertTrue(ends.behind(1, 0, OLD, NOW), "committed 6,000 short of where the log ended 1 s ago");
        assertFalse(ends.behind(1, 10_000, OLD, NOW), "read to the end since, not committed yet");
    }

    @Test
    void theInputIsBehindWhileAnyPartitionReadHereIs() {
        Map<Integer, Long> here = Map.of(0, 0L, 1, 0L);
        PastLogEnds ends = lookedUp(Map.of(0, 500L, 1, 500L), Map.of(0, 1_000L, 1, 1_000L), here);
        assertFalse(ends.anyBehind(NOW), "no task has said where it is");
        assertFalse(ends.behind(0, 900, OLD, NOW));
        assertFalse(ends.anyBehind(NOW), "partition 0 at 900: past where its log ended 1 s ago");
        assertTrue(ends.behind(1, 100, OLD, NOW));
        assertTrue(ends.anyBehind(NOW), "partition 1 is 400 short of where its log ended 1 s ago");
        ends.behind(1, 500, OLD, NOW);
        assertFalse(ends.anyBehind(NOW), "partition 1 read on since");
        ends.behind(1, 100, OLD, NOW);
        ends.add(1_200, Map.of(0, 1_000L), Map.of(0, 900L));
        assertFalse(ends.anyBehind(NOW), "partition 1's task left: it is not read here any more");
    }

    /**
     * A live job trailing by less than the lag (a collection, a busy spell) is not behind, however
     * far its log had gone: pacing its commits would make every edge later.
     */
    @Test
    void aTaskReadingRecentRecordsIsNotBehind() {
        PastLogEnds ends = new PastLogEnds(1_000, LAG_MS);
        ends.add(10_000, Map.of(0, 500L), NONE_COMMITTED);
        ends.add(11_000, Map.of(0, 1_000L), NONE_COMMITTED);
        assertFalse(ends.behind(0, 100, 11_000 - LAG_MS, 11_000), "read up to records appended the lag ago");
        assertFalse(ends.anyBehind(11_000));
        assertTrue(ends.behind(0, 100, 11_000 - LAG_MS - 1, 11_000), "and a moment older");
        assertTrue(ends.anyBehind(11_000));
        assertFalse(ends.anyBehind(11_000 - 1), "asked a moment earlier: not yet older than the lag");
    }

    @Test
    void aTaskThatReadNothingYetIsAsFarAsItsLog() {
        PastLogEnds ends = lookedUp(Map.of(0, 500L), Map.of(0, 500L), NONE_COMMITTED);
        assertTrue(ends.behind(0, 0, Long.MIN_VALUE, 1_000), "restarted on a backlog: nothing read, 500 to read");
    }

    @Test
    void noPartitionReadHereAnyMoreIsNoBacklog() {
        PastLogEnds ends = lookedUp(Map.of(0, 500L), Map.of(0, 900L), Map.of(0, 0L));
        assertTrue(ends.behind(0, 10, OLD, 1_000));
        ends.add(1_200, Map.of(), Map.of());
        assertFalse(ends.anyBehind(60_000), "the partition's task left this instance");
    }

    @Test
    void theLagIsFourBacklogIntervals() {
        PastLogEnds ends = PastLogEnds.forBacklog(500);
        ends.add(0, Map.of(0, 500L), NONE_COMMITTED);
        ends.add(500, Map.of(0, 900L), NONE_COMMITTED);
        assertFalse(ends.behind(0, 10, 500 - 2_000, 500), "read up to records appended 2 s ago");
        assertTrue(ends.behind(0, 10, 500 - 2_001, 500));
    }

    /** Ends looked up at 0 and at 1,000 ms, asked about 1 s ago; the lag {@link #LAG_MS}. */
    private static PastLogEnds lookedUp(Map<Integer, Long> at0, Map<Integer, Long> at1000, Map<Integer, Long> committed) {
        PastLogEnds ends = new PastLogEnds(1_000, LAG_MS);
        ends.add(0, at0, committed);
        ends.add(1_000, at1000, committed);
        return ends;
    }
}
