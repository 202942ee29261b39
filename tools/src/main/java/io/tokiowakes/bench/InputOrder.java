package io.tokiowakes.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * How far out of {@code seq} order the records of each source reached the input log: the bound
 * on what the job may apply late. The job applies a source's record once every input partition
 * has been read the ordering window past its append time (the input topic is
 * {@code LogAppendTime}), so a record can only come after a later one of its source was applied
 * when it was appended at least the window after that later one (at exactly the window: a
 * partition's claim can be the append time of the record's own batch, read in part). Counting
 * such records in the log tells a late record the input made (a producer's batch for one
 * partition held up while others went through) from one the job made. Sources without
 * {@code seq} are ordered by trace time, which this does not check.
 */
final class InputOrder {

    private InputOrder() {
    }

    /**
     * @param beyondWindow how many records were appended at least the window after a later one
     * @param maxMs        the most any record was appended after a later one of its source (ms)
     */
    record Disorder(long beyondWindow, long maxMs) {
    }

    /**
     * Reads the whole topic (every partition from its start to its end at the call) and counts
     * the records appended at least {@code windowMs} after some record of the same source with
     * a higher {@code seq}. Records without {@code seq} or {@code source} are not counted.
     *
     * @param client   Kafka client settings
     * @param topic    the job's input topic (JSON trace records, {@code LogAppendTime})
     * @param windowMs the job's ordering window (ms)
     * @return the number of such records, and the largest delay behind a later record
     */
    static Disorder of(Properties client, String topic, long windowMs) {
        Map<String, Appends> bySource = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String json = new String(r.value(), StandardCharsets.UTF_8);
                    String source = Benchmark.field(json, "\"source\":\"", '"');
                    String seq = Benchmark.field(json, "\"seq\":", ',');
                    if (source != null && seq != null) {
                        bySource.computeIfAbsent(source, s -> new Appends()).add(Long.parseLong(seq.trim()), r.timestamp());
                    }
                }
            }
        }
        long count = 0;
        long maxMs = 0;
        for (Appends a : bySource.values()) {
            Disorder d = of(a.pairs, a.size, windowMs);
            count += d.beyondWindow();
            maxMs = Math.max(maxMs, d.maxMs());
        }
        return new Disorder(count, maxMs);
    }

    /** One source's records as (seq, append ms) pairs, flat: millions of them, no object each. */
    private static final class Appends {
        private long[] pairs = new long[1 << 12];
        private int size;

        void add(long seq, long appendedMs) {
            if (2 * size + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * size] = seq;
            pairs[2 * size + 1] = appendedMs;
            size++;
        }
    }

    /**
     * @param pairs    one source's records as (seq, append ms) pairs, flat, in any order
     * @param n        how many pairs
     * @param windowMs the ordering window (ms)
     * @return how many records were appended at least the window after a record with a higher
     *         seq, and the most any was
     */
    static Disorder of(long[] pairs, int n, long windowMs) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(pairs[2 * x], pairs[2 * y]));
        long earliestLater = Long.MAX_VALUE;
        long count = 0;
        long maxMs = 0;
        for (int i = n - 1; i >= 0; i--) {
            long appended = pairs[2 * order[i] + 1];
            if (earliestLater != Long.MAX_VALUE) {
                maxMs = Math.max(maxMs, appended - earliestLater);
                count += appended - earliestLater >= windowMs ? 1 : 0;
            }
            earliestLater = Math.min(earliestLater, appended);
        }
        return new Disorder(count, maxMs);
    }
}
