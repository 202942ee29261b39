package io.tokiowakes.observe;

import java.util.Map;

/**
 * Settings of the wake graph, read from the job's configuration ({@code graph.*}).
 *
 * @param windowMs    width of one count window ({@code graph.window.ms})
 * @param retentionMs windows and recently closed tasks are kept this long for the REST API and
 *                    the page ({@code graph.retention.ms})
 * @param emitMs      how often updated windows are written to the wake-graph topic ({@code graph.emit.ms})
 */
public record GraphSettings(long windowMs, long retentionMs, long emitMs) {

    public static final GraphSettings DEFAULTS = new GraphSettings(60_000, 600_000, 1_000);

    public static GraphSettings from(Map<String, ?> config) {
        return new GraphSettings(
                positive(config, "graph.window.ms", DEFAULTS.windowMs),
                positive(config, "graph.retention.ms", DEFAULTS.retentionMs),
                positive(config, "graph.emit.ms", DEFAULTS.emitMs));
    }

    private static long positive(Map<String, ?> config, String key, long fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of milliseconds, got '" + v + "'");
        }
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + n);
        }
        return n;
    }
}
