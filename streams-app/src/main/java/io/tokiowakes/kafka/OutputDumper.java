package io.tokiowakes.kafka;

import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.avro.AvroOutputs;
import io.tokiowakes.topology.WireFormat;
import io.tokiowakes.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the job's output topics from the beginning (committed records only) into the same files
 * {@code analyze} writes, and stops once nothing new has come for a while.
 */
public final class OutputDumper {

    private OutputDumper() {
    }

    /** @return records written per file name */
    public static Map<String, Long> dump(Properties client, Topics topics, Path outDir, Duration idle)
            throws IOException {
        return dump(client, topics, outDir, idle, WireFormat.JSON);
    }

    /** @param format the output topics' format: values are written as JSON lines whatever it is */
    public static Map<String, Long> dump(Properties client, Topics topics, Path outDir, Duration idle, WireFormat format)
            throws IOException {
        Files.createDirectories(outDir);
        Map<String, String> fileOfTopic = Map.of(
                topics.wakeEdges(), TraceFileAnalyzer.WAKE_EDGES_FILE,
                topics.wakeDelays(), TraceFileAnalyzer.WAKE_DELAYS_FILE,
                topics.anomalies(), TraceFileAnalyzer.ANOMALIES_FILE,
                topics.taskSummaries(), TraceFileAnalyzer.TASK_SUMMARIES_FILE);
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, OutputStream> files = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : fileOfTopic.keySet()) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                String file = fileOfTopic.get(topic);
                files.put(topic, Files.newOutputStream(outDir.resolve(file)));
                counts.put(file, 0L);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long lastRecord = System.nanoTime();
            while (System.nanoTime() - lastRecord < idle.toNanos()) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : batch) {
                    OutputStream out = files.get(r.topic());
                    out.write(format == WireFormat.AVRO ? AvroOutputs.toJson(r.value()) : r.value());
                    out.write('\n');
                    counts.merge(fileOfTopic.get(r.topic()), 1L, Long::sum);
                }
                if (!batch.isEmpty()) {
                    lastRecord = System.nanoTime();
                }
            }
        } finally {
            for (OutputStream out : files.values()) {
                out.close();
            }
        }
        return counts;
    }
}
