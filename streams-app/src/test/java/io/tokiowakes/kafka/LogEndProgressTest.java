package io.tokiowakes.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogEndProgressTest {

    /**
     * A partition read to its end is read up to the look-up less the time a record may still be on
     * its way: a record its collector sent just before the look-up, appended a moment after it,
     * must not count as read past already.
     */
    @Test
    void aPartitionReadToItsEndIsReadUpToTheLookUpLessTheTimeARecordMayBeOnItsWay() {
        Map<Integer, Long> claims = LogEndProgress.claims(Map.of(0, 50L, 1, 49L, 2, 0L), Map.of(0, 50L, 1, 50L, 2, 0L),
                10_000, 200);
        assertEquals(Map.of(0, 9_800L, 2, 9_800L), claims, "partition 1 still has a record to read; 2 is empty");
    }

    /** Only the partitions whose tasks run here are claimed. */
    @Test
    void aPartitionWithoutACommittedOffsetHereIsNotClaimed() {
        assertEquals(Map.of(), LogEndProgress.claims(Map.of(), Map.of(0, 0L), 10_000, 200));
    }
}
