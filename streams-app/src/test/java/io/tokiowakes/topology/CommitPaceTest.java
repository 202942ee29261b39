package io.tokiowakes.topology;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One ask commits every task of a stream thread: the tasks of a thread share one pace. */
class CommitPaceTest {

    private static final JobSettings PACED = JobSettings.defaults().withBacklogCommitInterval(500).withCommitInterval(100);

    @BeforeEach
    @AfterEach
    void forget() {
        CommitPace.forgetThisThread();
    }

    @Test
    void theTasksOfAThreadAskOnceAnIntervalBetweenThem() {
        CommitPace ingest = CommitPace.of(PACED);
        CommitPace wake = CommitPace.of(PACED);
        assertTrue(ingest.due(1_000, true));
        assertFalse(wake.due(1_050, true), "the thread was asked to commit 50 ms ago");
        assertTrue(wake.due(1_100, true));
        assertFalse(ingest.due(1_180, true), "the other task asked 80 ms ago");
        assertFalse(ingest.due(1_300, false), "behind: Kafka Streams' own interval");
        assertTrue(wake.due(1_300, true));
    }

    @Test
    void anotherThreadKeepsItsOwnPace() throws Exception {
        CommitPace pace = CommitPace.of(PACED);
        assertTrue(pace.due(1_000, true));
        AtomicBoolean other = new AtomicBoolean();
        Thread t = new Thread(() -> other.set(pace.due(1_010, true)));
        t.start();
        t.join();
        assertTrue(other.get(), "a commit of this thread does not commit the other's tasks");
        assertFalse(pace.due(1_020, true));
    }

    @Test
    void offNeverAsks() {
        CommitPace off = CommitPace.of(JobSettings.defaults());
        assertFalse(off.isOn(), "in-process settings: Kafka Streams' interval alone");
        assertFalse(off.due(1_000, true));
    }
}
