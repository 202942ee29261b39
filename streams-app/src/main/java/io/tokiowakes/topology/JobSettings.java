package io.tokiowakes.topology;

import io.tokiowakes.detect.LintSettings;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The job's own settings (not Kafka's).
 *
 * @param reorderWindowNanos a record is held until every input partition has been read this far
 *                           past its Kafka timestamp, then released in {@code seq} order: records
 *                           of one source spread over partitions are applied in the order they
 *                           happened, however far apart the partitions are read
 * @param maxRecordBytes     larger input values go to the dead-letter topic
 * @param inputFormat        encoding of the input topic's values
 * @param outputFormat       encoding of the output topics' values
 * @param inMemoryStores     state stores in memory rather than RocksDB (still backed by changelogs)
 * @param inputPartitions    partitions of the input topic: a record is released only once all of
 *                           them have been heard from
 */
public record JobSettings(Topics topics, long reorderWindowNanos, int maxRecordBytes,
                          LintSettings lints, WireFormat inputFormat, WireFormat outputFormat, boolean inMemoryStores,
                          int inputPartitions) {

    public JobSettings(Topics topics, long reorderWindowNanos, int maxRecordBytes, LintSettings lints) {
        this(topics, reorderWindowNanos, maxRecordBytes, lints, WireFormat.JSON, WireFormat.JSON, false, 1);
    }

    public static final long DEFAULT_REORDER_WINDOW_MS = 200;
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    public static JobSettings defaults() {
        return new JobSettings(Topics.DEFAULT, Duration.ofMillis(DEFAULT_REORDER_WINDOW_MS).toNanos(),
                DEFAULT_MAX_RECORD_BYTES, LintSettings.DEFAULTS);
    }

    /** Prefixes of the job's own settings; every other key is a Kafka client (or Streams) setting. */
    public static final List<String> PREFIXES = List.of("topic.", "reorder.", "input.", "output.", "lint.", "graph.");

    /** The job's settings, each with whether its value is a whole number. */
    private static final Map<String, Boolean> KNOWN = Map.ofEntries(
            Map.entry("topic.prefix", false), Map.entry("topic.input", false),
            Map.entry("reorder.window.ms", true),
            Map.entry("input.max-record-bytes", true), Map.entry("input.format", false),
            Map.entry("output.format", false), Map.entry("state.stores", false),
            Map.entry("lint.external-only.min-wakes", true), Map.entry("lint.lost-waker.grace-ms", true),
            Map.entry("lint.self-wake.min-wakes", true), Map.entry("lint.self-wake.percent", true),
            Map.entry("lint.long-poll.ms", true), Map.entry("lint.large-future.bytes", true),
            Map.entry("lint.scheduling-delay.ms", true),
            Map.entry("graph.window.ms", true), Map.entry("graph.retention.ms", true), Map.entry("graph.emit.ms", true));

    /** The job's settings this version knows. */
    public static Set<String> knownKeys() {
        return Collections.unmodifiableSet(new TreeSet<>(KNOWN.keySet()));
    }

    /** Whether a key belongs to the job (one of {@link #PREFIXES}, or {@code state.stores}) rather than to Kafka. */
    public static boolean isJobKey(String key) {
        return key.equals("state.stores") || PREFIXES.stream().anyMatch(key::startsWith);
    }

    /**
     * Refuses a job setting this version does not know (a typo would otherwise be ignored) and a
     * number that is not one. Kafka client settings are not looked at.
     *
     * @throws IllegalArgumentException naming the key, and the job's settings of that kind
     */
    public static void check(Properties p) {
        for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            if (!isJobKey(key)) {
                continue;
            }
            Boolean number = KNOWN.get(key);
            if (number == null) {
                String group = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key;
                throw new IllegalArgumentException("unknown setting " + key + " (known " + group + "* settings: "
                        + KNOWN.keySet().stream().filter(k -> k.startsWith(group)).sorted()
                        .collect(Collectors.joining(", ")) + ")");
            }
            String value = p.getProperty(key);
            if (number) {
                try {
                    Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " must be a whole number (up to 2147483647), not \"" + value + "\"");
                }
            }
        }
    }

    /**
     * The job's settings from a properties file's keys ({@link #PREFIXES}, {@code state.stores});
     * other keys are ignored here.
     *
     * @throws IllegalArgumentException on an unknown job setting or a bad value (see {@link #check})
     */
    public static JobSettings from(Properties p) {
        check(p);
        Topics topics = Topics.withPrefix(p.getProperty("topic.prefix", ""));
        String input = p.getProperty("topic.input");
        if (input != null) {
            topics = topics.withInput(input);
        }
        return new JobSettings(topics,
                Duration.ofMillis(Long.parseLong(p.getProperty("reorder.window.ms",
                        String.valueOf(DEFAULT_REORDER_WINDOW_MS)))).toNanos(),
                Integer.parseInt(p.getProperty("input.max-record-bytes", String.valueOf(DEFAULT_MAX_RECORD_BYTES))),
                LintSettings.from(p),
                WireFormat.parse(p.getProperty("input.format", "json")),
                WireFormat.parse(p.getProperty("output.format", "json")),
                parseStores(p.getProperty("state.stores", "rocksdb")),
                1);
    }

    public JobSettings withTopics(Topics t) {
        return new JobSettings(t, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, inputPartitions);
    }

    public JobSettings withInputPartitions(int partitions) {
        return new JobSettings(topics, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, partitions);
    }

    public JobSettings withReorderWindow(Duration window) {
        return new JobSettings(topics, window.toNanos(), maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, inputPartitions);
    }

    public JobSettings withInMemoryStores(boolean inMemory) {
        return new JobSettings(topics, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemory, inputPartitions);
    }

    private static boolean parseStores(String kind) {
        return switch (kind.trim()) {
            case "rocksdb" -> false;
            case "in-memory" -> true;
            default -> throw new IllegalArgumentException("state.stores must be rocksdb or in-memory, not \"" + kind + "\"");
        };
    }
}
