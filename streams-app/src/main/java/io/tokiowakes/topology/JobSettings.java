package io.tokiowakes.topology;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.graph.GraphSettings;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The job's own settings (not Kafka's), typed, as the job runs on them. They are read and
 * checked in one place, {@link JobConfig} (names, defaults, validators, docs); the methods here
 * that take properties are its thin shortcuts.
 *
 * @param topics             the topics read and written
 * @param reorderWindowNanos a record is held until every input partition has been read this far
 *                           past its Kafka timestamp, then released in {@code seq} order: records
 *                           of one source spread over partitions are applied in the order they
 *                           happened, however far apart the partitions are read
 * @param maxRecordBytes     larger input values go to the dead-letter topic
 * @param lints              thresholds of the lints
 * @param inputFormat        encoding of the input topic's values
 * @param outputFormat       encoding of the output topics' values
 * @param inMemoryStores     state stores in memory rather than RocksDB (still backed by changelogs)
 * @param inputPartitions    partitions of the input topic: a record is released only once all of
 *                           them have been heard from
 * @param graph              the wake graph's windows, retention and emit interval
 * @param backlogCommitMs    while a task is behind its input (it reads records appended more than
 *                           four times this long ago, and its log had passed it this long ago; ms),
 *                           it lets Kafka Streams commit this often rather than asking every
 *                           {@code commitMs} ({@link CommitPace})
 * @param commitMs           how often a task that is not behind asks for a commit (ms): Kafka
 *                           Streams' {@code commit.interval.ms} as the job was given it, learnt
 *                           when the job is built on a cluster; 0 in-process, where no task asks
 */
public record JobSettings(Topics topics, long reorderWindowNanos, int maxRecordBytes,
                          LintSettings lints, WireFormat inputFormat, WireFormat outputFormat, boolean inMemoryStores,
                          int inputPartitions, GraphSettings graph, long backlogCommitMs, long commitMs) {

    /** The ordering window in ms of Kafka timestamps, the unit the stages compare it in. */
    public long reorderWindowMs() {
        return Duration.ofNanos(reorderWindowNanos).toMillis();
    }

    /** Settings with the given values and the defaults of the rest (JSON, RocksDB, one partition). */
    public JobSettings(Topics topics, long reorderWindowNanos, int maxRecordBytes, LintSettings lints) {
        this(topics, reorderWindowNanos, maxRecordBytes, lints, WireFormat.JSON, WireFormat.JSON, false, 1,
                GraphSettings.DEFAULTS, JobConfig.DEFAULT_BACKLOG_COMMIT_MS, 0);
    }

    private static final JobSettings DEFAULTS = new JobConfig(Map.of()).settings();

    /** @return every setting at its default ({@link JobConfig#CONFIG}) */
    public static JobSettings defaults() {
        return DEFAULTS;
    }

    /** The job's settings this version knows. */
    public static Set<String> knownKeys() {
        return JobConfig.knownKeys();
    }

    /** Whether a key belongs to the job rather than to Kafka: see {@link JobConfig#isJobKey}. */
    public static boolean isJobKey(String key) {
        return JobConfig.isJobKey(key);
    }

    /**
     * Refuses an unknown job setting or a bad value; Kafka client settings are not looked at.
     *
     * @throws IllegalArgumentException naming the key (see {@link JobConfig#check})
     */
    public static void check(Properties p) {
        JobConfig.check(p);
    }

    /**
     * The job's settings from a properties file's keys; other keys are ignored.
     *
     * @throws IllegalArgumentException on an unknown job setting or a bad value (see {@link JobConfig#check})
     */
    public static JobSettings from(Properties p) {
        return new JobConfig(p).settings();
    }

    /** @return these settings on other topics */
    public JobSettings withTopics(Topics t) {
        return new JobSettings(t, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, inputPartitions, graph, backlogCommitMs, commitMs);
    }

    /** @return these settings for an input topic of {@code partitions} partitions */
    public JobSettings withInputPartitions(int partitions) {
        return new JobSettings(topics, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, partitions, graph, backlogCommitMs, commitMs);
    }

    /** @return these settings with another ordering window */
    public JobSettings withReorderWindow(Duration window) {
        return new JobSettings(topics, window.toNanos(), maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, inputPartitions, graph, backlogCommitMs, commitMs);
    }

    /**
     * @param ms Kafka Streams' {@code commit.interval.ms} as the job was given it (ms): how often a
     *           task that is not behind asks for a commit
     * @return these settings with that interval
     */
    public JobSettings withCommitInterval(long ms) {
        return new JobSettings(topics, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, inputPartitions, graph, backlogCommitMs, ms);
    }

    /**
     * @param ms {@code backlog.commit.interval.ms} (ms)
     * @return these settings with that backlog interval
     */
    public JobSettings withBacklogCommitInterval(long ms) {
        return new JobSettings(topics, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemoryStores, inputPartitions, graph, ms, commitMs);
    }

    /** Whether tasks ask for commits at {@code commitMs} only when not behind: see {@link CommitPace}. */
    public boolean commitsPaced() {
        return commitMs > 0 && backlogCommitMs > commitMs;
    }

    /** @return these settings with the growing stores in memory (true) or in RocksDB */
    public JobSettings withInMemoryStores(boolean inMemory) {
        return new JobSettings(topics, reorderWindowNanos, maxRecordBytes, lints, inputFormat, outputFormat,
                inMemory, inputPartitions, graph, backlogCommitMs, commitMs);
    }
}
