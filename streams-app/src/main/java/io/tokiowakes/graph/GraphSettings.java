package io.tokiowakes.graph;

/**
 * Settings of the wake graph ({@code graph.*}), read with the job's other settings by
 * {@code io.tokiowakes.topology.JobConfig}.
 *
 * @param windowMs    width of one count window ({@code graph.window.ms})
 * @param retentionMs windows and recently closed tasks are kept this long for the REST API and
 *                    the page ({@code graph.retention.ms})
 * @param emitMs      how often updated windows are written to the wake-graph topic ({@code graph.emit.ms})
 */
public record GraphSettings(long windowMs, long retentionMs, long emitMs) {

    public static final GraphSettings DEFAULTS = new GraphSettings(60_000, 600_000, 1_000);
}
