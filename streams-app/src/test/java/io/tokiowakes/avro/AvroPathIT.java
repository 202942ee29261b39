package io.tokiowakes.avro;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.TraceReplayer;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import io.tokiowakes.topology.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both real fixtures published as Avro into a 4-partition topic, the job on a real broker with
 * {@code input.format=avro} and {@code output.format=avro}: the expected edges and anomalies,
 * and, read back to JSON, exactly what {@code analyze} gives on the JSON lines.
 */
class AvroPathIT {

    private static final int PARTITIONS = 4;
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @Test
    void fixturesPublishedAsAvroGiveTheExpectedResults(@TempDir Path dir) throws Exception {
        List<byte[]> records = new ArrayList<>(KafkaTestSupport.fixture("seed-program"));
        records.addAll(KafkaTestSupport.fixture("mixed-w2"));
        List<byte[]> delivered = KafkaTestSupport.interleaved(records, PARTITIONS);

        Properties p = new Properties();
        p.setProperty("topic.prefix", "avro-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        p.setProperty("input.format", "avro");
        p.setProperty("output.format", "avro");
        // The replay interleaves keys at random over its whole length, and a loaded CI machine
        // stretches that to seconds; this test is about the format, not the ordering window.
        p.setProperty("reorder.window.ms", String.valueOf(KafkaTestSupport.REPLAY_DISORDER.toMillis()));
        JobSettings settings = JobSettings.from(p);
        assertEquals(WireFormat.AVRO, settings.inputFormat());
        assertEquals(WireFormat.AVRO, settings.outputFormat());
        Topics topics = settings.topics();
        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, topics, PARTITIONS, PARTITIONS);

        ExpectedWakes expected = ExpectedWakes.fixtures(Fixtures.NAMES.toArray(String[]::new));
        Map<String, List<JsonNode>> out;
        try (WakeJob job = new WakeJob(KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state")), settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)), "job running");
            TraceDecoder keys = new TraceDecoder(Integer.MAX_VALUE);
            try (TraceReplayer replayer = new TraceReplayer(client, topics.input(), 0)) {
                for (byte[] json : delivered) {
                    replayer.send(keys.decode(json).contractKey(), AvroTraceRecords.fromJson(json));
                }
                // A JSON value on the Avro topic is refused, not misread.
                replayer.send("stray", records.get(0));
                replayer.flush();
            }
            out = awaitOutputs(client, topics, expected.edgeCount());
            assertEquals(0, job.metrics().get("late-records"), "nothing arrived past the ordering window");
        }

        assertEquals(List.of(), expected.differences(ExpectedWakes.of(out.get(topics.wakeEdges()), out.get(topics.anomalies()))));
        List<JsonNode> dlq = out.get(topics.deadLetter());
        assertEquals(1, dlq.size(), "the stray JSON value is the only dead letter");
        assertTrue(dlq.get(0).path("reason").asText().startsWith("not Avro single-object encoding"), dlq.toString());

        Path analyzed = dir.resolve("analyze");
        new TraceFileAnalyzer(JobSettings.defaults()).analyze(sink -> {
            long n = 0;
            for (byte[] r : records) {
                sink.accept(++n, r);
            }
        }, analyzed);
        Map<String, String> fileOf = Map.of(TraceFileAnalyzer.WAKE_EDGES_FILE, topics.wakeEdges(),
                TraceFileAnalyzer.WAKE_DELAYS_FILE, topics.wakeDelays(),
                TraceFileAnalyzer.ANOMALIES_FILE, topics.anomalies(),
                TraceFileAnalyzer.TASK_SUMMARIES_FILE, topics.taskSummaries());
        for (var f : fileOf.entrySet()) {
            List<String> fromAvro = new ArrayList<>(out.get(f.getValue()).stream().map(JsonNode::toString).toList());
            fromAvro.sort(null);
            assertEquals(sortedJson(analyzed.resolve(f.getKey())), fromAvro, f.getKey() + " equals analyze's");
        }
    }

    /** Reads the outputs (committed only) until the expected edges are there and nothing more comes. */
    private static Map<String, List<JsonNode>> awaitOutputs(Properties client, Topics topics, int edges) throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, List<JsonNode>> out = new HashMap<>();
        List<String> names = List.of(topics.wakeEdges(), topics.wakeDelays(), topics.anomalies(), topics.taskSummaries(),
                topics.deadLetter());
        names.forEach(t -> out.put(t, new ArrayList<>()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : names) {
                consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            long lastRecord = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : batch) {
                    out.get(r.topic()).add(r.topic().equals(topics.deadLetter()) ? deadLetter(r)
                            : Json.MAPPER.readTree(AvroOutputs.toJson(r.value())));
                }
                if (!batch.isEmpty()) {
                    lastRecord = System.nanoTime();
                }
                // Whatever the job still had to say (summaries, late anomalies) is in after a quiet spell.
                if (out.get(topics.wakeEdges()).size() >= edges && System.nanoTime() - lastRecord > Duration.ofSeconds(3).toNanos()) {
                    break;
                }
            }
        }
        return out;
    }

    private static JsonNode deadLetter(ConsumerRecord<String, byte[]> r) {
        var reason = r.headers().lastHeader("__streams.errors.message");
        return Json.MAPPER.createObjectNode()
                .put("key", r.key())
                .put("reason", reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8));
    }

    private static List<String> sortedJson(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line).toString());
            }
        }
        lines.sort(null);
        return lines;
    }
}
