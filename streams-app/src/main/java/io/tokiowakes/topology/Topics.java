package io.tokiowakes.topology;

/**
 * The topics the job reads and writes. A prefix puts several pipelines side by side on one cluster.
 */
public record Topics(String input, String wakeEdges, String wakeDelays, String anomalies, String taskSummaries,
                     String deadLetter, String wakeGraph) {

    public static final Topics DEFAULT = withPrefix("");

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "tokio.trace", prefix + "tokio.wake-edges", prefix + "tokio.wake-delays",
                prefix + "tokio.anomalies", prefix + "tokio.task-summaries", prefix + "tokio.trace.dlq",
                prefix + "tokio.wake-graph");
    }

    public Topics withInput(String name) {
        return new Topics(name, wakeEdges, wakeDelays, anomalies, taskSummaries, deadLetter, wakeGraph);
    }

    public java.util.List<String> outputs() {
        return java.util.List.of(wakeEdges, wakeDelays, anomalies, taskSummaries, wakeGraph);
    }
}
