package io.tokiowakes.analyze;

import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.emit.DelayStats;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.graph.GraphCell;

import java.util.List;
import java.util.Map;

/**
 * What an analysis produced: counts by output, the rejected input lines, the tasks that were
 * flagged and the wakes most often seen between two tasks.
 *
 * @param records        input records read
 * @param counters       the job's counters ({@code edges.TASK}, {@code anomalies.LOST_WAKER}, ...)
 * @param rejected       input lines that went to the dead-letter topic
 * @param firstRejection the first of them, null when none was
 * @param anomalousTasks every task with an anomaly, in the order of its first one
 * @param busiestPairs   the (waker, wakee, kind) with the most wakes, most first (at most
 *                       {@link #BUSIEST_PAIRS}); tasks by name, as the wake graph shows them
 */
public record AnalysisResult(long records, Map<String, Long> counters, long rejected, Rejection firstRejection,
                             List<AnomalousTask> anomalousTasks, List<WakePair> busiestPairs) {

    /** How many wake pairs {@link #busiestPairs} keeps. */
    public static final int BUSIEST_PAIRS = 5;

    /** An input line the job refused, and why. */
    public record Rejection(long line, String reason) {
    }

    /** A task and the anomalies it was reported for, in the order they were. */
    public record AnomalousTask(String source, TaskRef task, List<AnomalyType> types) {
    }

    /**
     * Wakes of one kind from one task (by name) to another.
     *
     * @param delays  the delays from these wakes to the wakee's next polls, null when none was measured
     * @param waitsOn the resources the wakee waited on at these wakes, most wakes first
     */
    public record WakePair(String source, String waker, String wakee, WakeKind kind, long count, DelayStats delays,
                           List<GraphCell.ResourceCount> waitsOn) {
    }

    public long count(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
