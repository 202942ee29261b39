package io.tokiowakes.topology;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.graph.GraphSettings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The job's own settings (not Kafka's), defined once in a {@link ConfigDef}: name, type, default,
 * validator and documentation of each. {@link JobSettings} is the typed value the job runs on;
 * this class is the only place that reads settings from properties. README's settings table is
 * {@link #markdownTable()} (checked by a test).
 *
 * <p>Every key of {@link #PREFIXES} (and {@code state.stores}) belongs to the job and must be one
 * defined here; every other key is a Kafka client (or Streams) setting and is not looked at.
 */
public final class JobConfig extends AbstractConfig {

    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String TOPIC_INPUT = "topic.input";
    public static final String REORDER_WINDOW_MS = "reorder.window.ms";
    public static final String INPUT_MAX_RECORD_BYTES = "input.max-record-bytes";
    public static final String INPUT_FORMAT = "input.format";
    public static final String OUTPUT_FORMAT = "output.format";
    public static final String STATE_STORES = "state.stores";
    public static final String LINT_EXTERNAL_ONLY_MIN_WAKES = "lint.external-only.min-wakes";
    public static final String LINT_LOST_WAKER_GRACE_MS = "lint.lost-waker.grace-ms";
    public static final String LINT_SELF_WAKE_MIN_WAKES = "lint.self-wake.min-wakes";
    public static final String LINT_SELF_WAKE_PERCENT = "lint.self-wake.percent";
    public static final String LINT_LONG_POLL_MS = "lint.long-poll.ms";
    public static final String LINT_LARGE_FUTURE_BYTES = "lint.large-future.bytes";
    public static final String LINT_SCHEDULING_DELAY_MS = "lint.scheduling-delay.ms";
    public static final String GRAPH_WINDOW_MS = "graph.window.ms";
    public static final String GRAPH_RETENTION_MS = "graph.retention.ms";
    public static final String GRAPH_EMIT_MS = "graph.emit.ms";
    public static final String BACKLOG_COMMIT_INTERVAL_MS = "backlog.commit.interval.ms";
    /** Default of {@value #BACKLOG_COMMIT_INTERVAL_MS} (ms). */
    public static final int DEFAULT_BACKLOG_COMMIT_MS = 500;

    /** Prefixes of the job's own settings; every other key (but {@code state.stores}) is Kafka's. */
    public static final List<String> PREFIXES = List.of("topic.", "reorder.", "input.", "output.", "lint.", "graph.",
            "backlog.");

    private static final String STORES_ROCKSDB = "rocksdb";
    private static final String STORES_IN_MEMORY = "in-memory";

    /** The job's settings: type, default, validator and what each does. */
    public static final ConfigDef CONFIG = definition();

    private static ConfigDef definition() {
        LintSettings lints = LintSettings.DEFAULTS;
        GraphSettings graph = GraphSettings.DEFAULTS;
        return new ConfigDef()
                .define(TOPIC_PREFIX, Type.STRING, "", Importance.HIGH,
                        "prefix of every topic read and written (pipelines side by side on one cluster)")
                .define(TOPIC_INPUT, Type.STRING, null, Importance.MEDIUM,
                        "the input topic, instead of `<topic.prefix>tokio.trace`")
                .define(REORDER_WINDOW_MS, Type.INT, 200, Range.atLeast(0), Importance.HIGH,
                        "a record is applied once every input partition has been read this far (ms of Kafka "
                                + "timestamps) past it: how far apart the records of one source may arrive out of "
                                + "`seq` order")
                .define(INPUT_MAX_RECORD_BYTES, Type.INT, 1 << 20, Range.atLeast(1), Importance.LOW,
                        "larger input values go to the dead-letter topic")
                .define(INPUT_FORMAT, Type.STRING, "json", ConfigDef.CaseInsensitiveValidString.in("json", "avro"),
                        Importance.MEDIUM, "encoding of the input topic's values: `json` or `avro`")
                .define(OUTPUT_FORMAT, Type.STRING, "json", ConfigDef.CaseInsensitiveValidString.in("json", "avro"),
                        Importance.MEDIUM, "encoding of the output topics' values: `json` or `avro`")
                .define(STATE_STORES, Type.STRING, STORES_ROCKSDB,
                        ConfigDef.ValidString.in(STORES_ROCKSDB, STORES_IN_MEMORY), Importance.LOW,
                        "where the stores that grow with the fleet live: `rocksdb` or `in-memory` (both changelogged)")
                .define(LINT_EXTERNAL_ONLY_MIN_WAKES, Type.INT, (int) lints.externalOnlyMinWakes(), Range.atLeast(0),
                        Importance.LOW, "`EXTERNAL_ONLY_WAKES` of a live task once woken this many times, all "
                                + "from outside the runtime")
                .define(LINT_LOST_WAKER_GRACE_MS, Type.INT, (int) Duration.ofNanos(lints.lostWakerGraceNanos()).toMillis(),
                        Range.atLeast(0), Importance.LOW,
                        "`LOST_WAKER` once a task has looked lost this long (ms of trace time)")
                .define(LINT_SELF_WAKE_MIN_WAKES, Type.INT, (int) lints.selfWakeMinWakes(), Range.atLeast(0),
                        Importance.LOW, "`SELF_WAKE_DOMINANT` needs at least this many wakes")
                .define(LINT_SELF_WAKE_PERCENT, Type.INT, lints.selfWakePercent(), Range.between(0, 100),
                        Importance.LOW, "`SELF_WAKE_DOMINANT` when more than this share (%) of the wakes were `SELF`")
                .define(LINT_LONG_POLL_MS, Type.INT, (int) Duration.ofNanos(lints.longPollNanos()).toMillis(),
                        Range.atLeast(0), Importance.LOW, "`LONG_POLL` for one poll at least this long (ms)")
                .define(LINT_LARGE_FUTURE_BYTES, Type.INT, (int) lints.largeFutureBytes(), Range.atLeast(0),
                        Importance.LOW, "`LARGE_FUTURE` for a future at least this large (bytes)")
                .define(LINT_SCHEDULING_DELAY_MS, Type.INT, (int) Duration.ofNanos(lints.schedulingDelayNanos()).toMillis(),
                        Range.atLeast(0), Importance.LOW,
                        "`LONG_SCHEDULING_DELAY` for a task woken and not polled for at least this long (ms of trace time)")
                .define(GRAPH_WINDOW_MS, Type.INT, (int) graph.windowMs(), Range.atLeast(1), Importance.LOW,
                        "width of one wake-graph window (ms of trace time)")
                .define(GRAPH_RETENTION_MS, Type.INT, (int) graph.retentionMs(), Range.atLeast(1), Importance.LOW,
                        "wake-graph windows and closed tasks are kept this long (ms of trace time) for the API "
                                + "and the page")
                .define(GRAPH_EMIT_MS, Type.INT, (int) graph.emitMs(), Range.atLeast(1), Importance.LOW,
                        "changed wake-graph windows are written at most this often (ms)")
                .define(BACKLOG_COMMIT_INTERVAL_MS, Type.INT, DEFAULT_BACKLOG_COMMIT_MS, Range.between(0, 5_000),
                        Importance.LOW, "a stream thread whose tasks are all behind their input (reading records appended more than four "
                                + "times this long ago, ms) commits this often rather than every `commit.interval.ms`: fewer "
                                + "transactions while catching up; `commit.interval.ms` or less (0) commits every "
                                + "`commit.interval.ms` always; at most 5000, well within the producer's `transaction.timeout.ms` (10 s);"
                                + " paced under exactly-once, it is also the stream threads' producers' `linger.ms` (batch up to 256 KB) unless set");
    }

    /**
     * The job's settings from the job's keys of {@code props}; other keys are ignored.
     *
     * @throws IllegalArgumentException on an unknown job setting or a bad value (see {@link #check})
     */
    public JobConfig(Map<?, ?> props) {
        super(CONFIG, checked(props), false);
    }

    private static Map<String, Object> checked(Map<?, ?> props) {
        check(props);
        return jobKeys(props);
    }

    /** The job's settings this version knows. */
    public static Set<String> knownKeys() {
        return new TreeSet<>(CONFIG.names());
    }

    /** Whether a key belongs to the job (one of {@link #PREFIXES}, or {@code state.stores}) rather than to Kafka. */
    public static boolean isJobKey(String key) {
        return key.equals(STATE_STORES) || PREFIXES.stream().anyMatch(key::startsWith);
    }

    /**
     * Refuses a job setting this version does not know (a typo would otherwise be ignored) and a
     * value its definition does not allow; keys are looked at in sorted order, so the message names
     * the first bad one. Kafka client settings are not looked at.
     *
     * @throws IllegalArgumentException with a one-line message naming the key (for an unknown key,
     *                                  the job's settings of that group)
     */
    public static void check(Map<?, ?> props) {
        Map<String, Object> job = new TreeMap<>(jobKeys(props));
        for (Map.Entry<String, Object> e : job.entrySet()) {
            String key = e.getKey();
            ConfigDef.ConfigKey def = CONFIG.configKeys().get(key);
            if (def == null) {
                String group = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key;
                throw new IllegalArgumentException("unknown setting " + key + " (known " + group + "* settings: "
                        + knownKeys().stream().filter(k -> k.startsWith(group)).collect(Collectors.joining(", ")) + ")");
            }
            String value = String.valueOf(e.getValue());
            if (def.type == Type.INT) {
                try {
                    Integer.parseInt(value.trim());
                } catch (NumberFormatException notInt) {
                    throw new IllegalArgumentException(key + " must be a whole number (up to 2147483647), not \"" + value + "\"");
                }
            }
            try {
                Object parsed = ConfigDef.parseType(key, e.getValue(), def.type);
                if (def.validator != null) {
                    def.validator.ensureValid(key, parsed);
                }
            } catch (ConfigException bad) {
                throw new IllegalArgumentException(bad.getMessage());
            }
        }
    }

    private static Map<String, Object> jobKeys(Map<?, ?> props) {
        Map<String, Object> job = new TreeMap<>();
        props.forEach((k, v) -> {
            if (k instanceof String key && isJobKey(key) && v != null) {
                job.put(key, v);
            }
        });
        return job;
    }

    /** @return the topics, {@code topic.input} over the prefixed default input topic */
    public Topics topics() {
        Topics topics = Topics.withPrefix(getString(TOPIC_PREFIX));
        String input = getString(TOPIC_INPUT);
        return input != null ? topics.withInput(input) : topics;
    }

    /** @return {@code reorder.window.ms}, in nanoseconds */
    public long reorderWindowNanos() {
        return Duration.ofMillis(getInt(REORDER_WINDOW_MS)).toNanos();
    }

    /** @return {@code input.max-record-bytes} */
    public int maxRecordBytes() {
        return getInt(INPUT_MAX_RECORD_BYTES);
    }

    /** @return {@code input.format} */
    public WireFormat inputFormat() {
        return WireFormat.parse(getString(INPUT_FORMAT));
    }

    /** @return {@code output.format} */
    public WireFormat outputFormat() {
        return WireFormat.parse(getString(OUTPUT_FORMAT));
    }

    /** @return whether {@code state.stores} is {@code in-memory} */
    public boolean inMemoryStores() {
        return STORES_IN_MEMORY.equals(getString(STATE_STORES));
    }

    /** @return the {@code lint.*} thresholds, durations in nanoseconds */
    public LintSettings lints() {
        return new LintSettings(getInt(LINT_EXTERNAL_ONLY_MIN_WAKES),
                Duration.ofMillis(getInt(LINT_LOST_WAKER_GRACE_MS)).toNanos(),
                getInt(LINT_SELF_WAKE_MIN_WAKES), getInt(LINT_SELF_WAKE_PERCENT),
                Duration.ofMillis(getInt(LINT_LONG_POLL_MS)).toNanos(), getInt(LINT_LARGE_FUTURE_BYTES),
                Duration.ofMillis(getInt(LINT_SCHEDULING_DELAY_MS)).toNanos());
    }

    /** @return the {@code graph.*} settings, in milliseconds */
    public GraphSettings graph() {
        return new GraphSettings(getInt(GRAPH_WINDOW_MS), getInt(GRAPH_RETENTION_MS), getInt(GRAPH_EMIT_MS));
    }

    /** @return every setting as the job runs on it (the input topic's partitions are learnt later: 1) */
    public JobSettings settings() {
        return new JobSettings(topics(), reorderWindowNanos(), maxRecordBytes(), lints(), inputFormat(), outputFormat(),
                inMemoryStores(), 1, graph(), getInt(BACKLOG_COMMIT_INTERVAL_MS), 0);
    }

    /**
     * @return README's table of the job's settings: one row per key, in the definition's order,
     *         with its default and what it does
     */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| setting | default | what it does |\n|---|---|---|\n");
        for (ConfigDef.ConfigKey k : CONFIG.configKeys().values()) {
            String def = k.defaultValue == null ? "" : k.defaultValue.toString().isEmpty() ? "`\"\"`"
                    : "`" + k.defaultValue + "`";
            b.append("| `").append(k.name).append("` | ").append(def).append(" | ").append(k.documentation)
                    .append(" |\n");
        }
        return b.toString();
    }
}
