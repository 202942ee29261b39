package io.tokiowakes.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task is behind when its partition's log had passed its position the backlog interval ago. */
class PastLogEndsTest {

    @Test
    void nothingIsBehindBeforeALookupIsOldEnough() {
        PastLogEnds ends = new PastLogEnds(1_000);
        ends.add(0, Map.of(0, 500L));
        ends.add(600, Map.of(0, 900L));
        assertFalse(ends.behind(0, 0), "no look-up is 1 s old yet");
        ends.add(1_000, Map.of(0, 1_200L));
        assertTrue(ends.behind(0, 0), "the log had 500 records 1 s ago");
        assertFalse(ends.behind(0, 500), "at the end of 1 s ago, though 700 behind now");
    }

    @Test
    void theNewestLookupThatOldCounts() {
        PastLogEnds ends = new PastLogEnds(1_000);
        ends.add(0, Map.of(0, 100L));
        ends.add(200, Map.of(0, 300L));
        ends.add(400, Map.of(0, 600L));
        ends.add(1_300, Map.of(0, 2_000L));
        // 1,300 - 1,000 = 300: the look-up at 200 is the newest at least 1 s old.
        assertTrue(ends.behind(0, 200));
        assertFalse(ends.behind(0, 300));
    }

    @Test
    void aCommitMarkerAtTheEndIsNotARecordToRead() {
        PastLogEnds ends = new PastLogEnds(1_000);
        ends.add(0, Map.of(0, 11L, 1, 12L));
        ends.add(1_000, Map.of(0, 11L, 1, 12L));
        assertFalse(ends.behind(0, 10), "offset 10 is the marker of the transaction of record 9");
        assertTrue(ends.behind(1, 10), "two short is a record still to read");
        assertFalse(ends.behind(2, 0), "a partition never looked up");
    }
}
