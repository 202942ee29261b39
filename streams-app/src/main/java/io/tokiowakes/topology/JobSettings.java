package io.tokiowakes.topology;

import io.tokiowakes.detect.LintSettings;

import java.time.Duration;
import java.util.Properties;

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

    public static JobSettings from(Properties p) {
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
