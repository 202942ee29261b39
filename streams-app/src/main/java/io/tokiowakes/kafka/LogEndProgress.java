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
 * moment of the look-up less the ordering window. This is what lets the tail of a trace out of
 * the ordering buffer without guessing from idle time, and never while a partition still has a
 * backlog.
 * <p>
 * Why less the window: the end of a partition's log says nothing of a record still on its way
 * from its collector. A collector's producer sends each partition its own batches, and one of
 * them can reach the broker hundreds of ms after a later record of the same source went to
 * another partition (a batch held up behind a full request, a retried one). Such a record is
 * appended after the look-up, so the wake stage, which waits a window past every claim, would
 * apply it late once it was a window behind that later record. A partition claimed by its own
 * records is claimed past it only by records appended after that later record's window, which a
 * producer holding up that partition's batches does not send it. Less the window, a claim from
 * the log's end lets such a record be two windows behind. It costs a window of latency only
 * where a partition got no record for a window: a busy partition's own records claim further.
 * The look-up's time is the job's clock, taken for the broker's {@code LogAppendTime}: the two
 * must agree to well within the window (one machine, or synchronised clocks).
 */
final class LogEndProgress implements InputProgress, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogEndProgress.class);

    private final Admin admin;
    private final String topic;
    private final Supplier<KafkaStreams> streams;
    private final Map<Integer, Long> readUpTo = new ConcurrentHashMap<>();
    private final long inFlightMs;
    private final PastLogEnds pastEnds;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tokio-wakes-input-progress");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param client     Kafka client settings, for an admin client of its own
     * @param topic      the input topic
     * @param streams    the running job's Kafka Streams (null until it is built)
     * @param everyMs    how often the log's end is looked up (ms)
     * @param inFlightMs how long a record may still be on its way to the log when its end is
     *                   looked up (ms): the ordering window
     * @param backlogMs  a task is behind once its partition's log ended past its position this
     *                   long ago, and it reads records appended {@link PastLogEnds#LIVE_LAGS} times this long
     *                   ago (ms): {@code backlog.commit.interval.ms}
     */
    LogEndProgress(Properties client, String topic, Supplier<KafkaStreams> streams, long everyMs, long inFlightMs,
                   long backlogMs) {
        this.admin = Admin.create(client);
        this.inFlightMs = inFlightMs;
        this.pastEnds = PastLogEnds.forBacklog(backlogMs);
        this.topic = topic;
        this.streams = streams;
        timer.scheduleWithFixedDelay(this::refresh, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public long readUpTo(int partition) {
        return readUpTo.getOrDefault(partition, Long.MIN_VALUE);
    }

    @Override
    public boolean behind(int partition, long position, long readMs, long nowMs) {
        return pastEnds.behind(partition, position, readMs, nowMs);
    }

    @Override
    public boolean anyBehind(long nowMs) {
        return pastEnds.anyBehind(nowMs);
    }

    private void refresh() {
        try {
            KafkaStreams s = streams.get();
            if (s == null) {
                return;
            }
            Map<Integer, Long> committed = committedOffsets(s);
            if (committed.isEmpty()) {
                // No input partition is read here (any more): none is behind.
                pastEnds.add(System.currentTimeMillis(), Map.of(), Map.of());
                return;
            }
            long lookedUpAt = System.currentTimeMillis();
            Map<TopicPartition, OffsetSpec> request = committed.keySet().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            var ends = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(5, TimeUnit.SECONDS);
            // Committed offsets may only move on between the two reads: read them again after.
            Map<Integer, Long> endOffsets = new HashMap<>();
            ends.forEach((tp, info) -> endOffsets.put(tp.partition(), info.offset()));
            Map<Integer, Long> committedAfter = committedOffsets(s);
            claims(committedAfter, endOffsets, lookedUpAt, inFlightMs)
                    .forEach((partition, claim) -> readUpTo.merge(partition, claim, Math::max));
            // Claims count from before the look-up (a record may arrive during it); how far behind
            // a task is counts from after it (a slow answer must not age the ends).
            pastEnds.add(System.currentTimeMillis(), endOffsets, committedAfter);
        } catch (Exception e) {
            LOG.debug("input progress not refreshed: {}", e.toString());
        }
    }

    /**
     * What the look-up shows of each partition.
     *
     * @param committed  committed offsets by partition, read after the ends were
     * @param ends       the partitions' end offsets (of committed transactions)
     * @param lookedUpAt when the ends were asked for (ms, the job's clock, standing for the broker's)
     * @param inFlightMs how long a record may still be on its way to the log (ms)
     * @return by partition, how far (ms of append time) each partition read to its end is read;
     *         partitions still behind their end are not in it
     */
    static Map<Integer, Long> claims(Map<Integer, Long> committed, Map<Integer, Long> ends, long lookedUpAt,
                                     long inFlightMs) {
        Map<Integer, Long> out = new HashMap<>();
        ends.forEach((partition, end) -> {
            Long done = committed.get(partition);
            if (done != null && done >= end) {
                out.put(partition, lookedUpAt - inFlightMs);
            }
        });
        return out;
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
