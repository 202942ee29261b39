package io.tokiowakes.analyze;

import java.util.Map;

/**
 * What an analysis produced: counts by output, and the rejected input lines.
 *
 * @param records  input records read
 * @param counters the job's counters ({@code edges.TASK}, {@code anomalies.LOST_WAKER}, ...)
 * @param rejected input lines that went to the dead-letter topic
 */
public record AnalysisResult(long records, Map<String, Long> counters, long rejected) {

    public long count(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
