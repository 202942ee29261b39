package io.tokiowakes.model;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** Per-source bookkeeping of the engine and of the ordering buffer in front of it. */
public class SourceState {
    /** Latest trace time processed: the source's clock for grace periods. */
    public long clockNanos;
    /** Tasks that currently look like a lost waker and wait out the grace period. */
    public Set<Long> lostWakerWatch = new HashSet<>();
    /**
     * Linted tasks in a poll right now that were not reported as long polls yet: a poll that
     * never returns is reported once it has lasted the threshold of the source's trace time.
     */
    public Set<Long> pollWatch = new HashSet<>();
    /**
     * Linted tasks woken and not polled since, not reported as starved yet, in the order their
     * wait began: a wait that lasts the threshold of the source's trace time is reported while
     * it goes on. The oldest wait is first, so a check looks at the first few only.
     */
    public Set<Long> scheduleWatch = new LinkedHashSet<>();
    /**
     * Closure types of blocking spans seen polling tasks: the worker loop's. A span of one of
     * them is a worker's own before it polls a task itself. A few per process.
     */
    public Set<String> workerClosures = new HashSet<>();

    /** Latest trace time that arrived (ordering buffer). */
    public long arrivedNanos;
    /** Highest seq that arrived, -1 before the first: a lower seq at a later time is a new process. */
    public long arrivedSeq = -1;
    /** Records that arrived, used to keep buffer keys of equal sort keys apart. */
    public long arrivals;
    /** Records in the ordering buffer. */
    public long buffered;
    /** Sort key of the last record released to the engine, -1 before the first. */
    public long lastReleasedKey = -1;
    /** Arrival number (see {@link #arrivals}) of the last record released, -1 before the first. */
    public long lastReleasedArrival = -1;
    /** Records that arrived after a later one had been released (they came past the window). */
    public long late;
    /** Wall-clock time of the last arrival, to flush the buffer of a source that went quiet. */
    public long lastArrivalWallMs;
}
