package io.tokiowakes.kafka;

import io.tokiowakes.order.InputProgress;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Input progress from the log: every so often the end offsets of the input partitions are
 * looked up, and a partition whose task has committed up to that end counts as read up to the
 * moment of the look-up. This is what lets the tail of a trace out of the ordering buffer
 * without guessing from idle time, and never while a partition still has a backlog.
 */
final class LogEndProgress implements InputProgress, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogEndProgress.class);

    private final Admin admin;
    private final String topic;
    private final Supplier<KafkaStreams> streams;
    private final Map<Integer, Long> readUpTo = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tokio-wakes-input-progress");
        t.setDaemon(true);
        return t;
    });

    LogEndProgress(Properties client, String topic, Supplier<KafkaStreams> streams, long everyMs) {
        this.admin = Admin.create(client);
        this.topic = topic;
        this.streams = streams;
        timer.scheduleWithFixedDelay(this::refresh, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public long readUpTo(int partition) {
        return readUpTo.getOrDefault(partition, Long.MIN_VALUE);
    }

    private void refresh() {
        try {
            KafkaStreams s = streams.get();
            if (s == null) {
                return;
            }
            Map<Integer, Long> committed = committedOffsets(s);
            if (committed.isEmpty()) {
                return;
            }
            long lookedUpAt = System.currentTimeMillis();
            Map<TopicPartition, OffsetSpec> request = committed.keySet().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            var ends = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(5, TimeUnit.SECONDS);
            // Committed offsets may only move on between the two reads: read them again after.
            Map<Integer, Long> after = committedOffsets(s);
            ends.forEach((tp, info) -> {
                Long done = after.get(tp.partition());
                if (done != null && done >= info.offset()) {
                    readUpTo.merge(tp.partition(), lookedUpAt, Math::max);
                }
            });
        } catch (Exception e) {
            LOG.debug("input progress not refreshed: {}", e.toString());
        }
    }

    /** Committed offsets of the input partitions whose tasks run here (0 for one never committed). */
    private Map<Integer, Long> committedOffsets(KafkaStreams s) {
        Map<Integer, Long> out = new HashMap<>();
        for (ThreadMetadata thread : s.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    if (tp.topic().equals(topic)) {
                        // -1 (or nothing) until a first commit: nothing read, which an empty log is.
                        out.put(tp.partition(), Math.max(0L, task.committedOffsets().getOrDefault(tp, 0L)));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close();
    }
}
