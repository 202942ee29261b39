package io.tokiowakes.avro;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.TopologyHarness;
import io.tokiowakes.topology.WireFormat;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job with {@code input.format=avro} and {@code output.format=avro} says what it says with JSON. */
class AvroTopologyTest {

    @Test
    void mixedW2GivesTheSameOutputsThroughAvroAsThroughJson() throws Exception {
        List<byte[]> lines = KafkaTestSupport.fixture("mixed-w2");
        Outputs viaJson = run(settings("json", "json"), lines, Function.identity());
        Outputs viaAvro = run(settings("avro", "avro"), lines, AvroTopologyTest::toAvro);

        ExpectedWakes expected = ExpectedWakes.fixtures("mixed-w2");
        assertTrue(expected.edgeCount() > 0);
        assertEquals(List.of(), expected.differences(ExpectedWakes.of(viaAvro.json(viaAvro.edges), viaAvro.json(viaAvro.anomalies))));
        assertEquals(List.of(), expected.differences(ExpectedWakes.of(viaJson.json(viaJson.edges), viaJson.json(viaJson.anomalies))));

        // Value for value, key for key, in the same order: Avro read back is the JSON format's JSON.
        assertEquals(viaJson.edges, viaAvro.edges);
        assertTrue(viaJson.delays.size() > 40, viaJson.delays.size() + " delays");
        assertEquals(viaJson.delays, viaAvro.delays);
        assertEquals(viaJson.anomalies, viaAvro.anomalies);
        assertEquals(viaJson.summaries, viaAvro.summaries);
        assertTrue(viaAvro.deadLetters.isEmpty(), "no dead letters");
    }

    @Test
    void avroInputWithJsonOutputAlsoMatches() {
        List<byte[]> lines = KafkaTestSupport.fixture("seed-program");
        Outputs viaJson = run(settings("json", "json"), lines, Function.identity());
        Outputs avroIn = run(settings("avro", "json"), lines, AvroTopologyTest::toAvro);
        assertEquals(viaJson.edges, avroIn.edges);
        assertEquals(viaJson.delays, avroIn.delays);
        assertEquals(viaJson.anomalies, avroIn.anomalies);
        assertEquals(viaJson.summaries, avroIn.summaries);
    }

    @Test
    void anUnreadableAvroValueGoesToTheDeadLetterTopicWithItsReason() {
        byte[] json = "{\"type\":\"event\"}".getBytes(StandardCharsets.UTF_8);
        try (TopologyHarness h = TopologyHarness.raw(settings("avro", "avro"))) {
            h.pipeBytes("k", json).flush();
            List<TestRecord<String, byte[]>> dlq = h.read(h.topics().deadLetter());
            assertEquals(1, dlq.size());
            assertEquals(new String(json, StandardCharsets.UTF_8), new String(dlq.get(0).value(), StandardCharsets.UTF_8));
            String reason = new String(dlq.get(0).headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8);
            assertTrue(reason.startsWith("not Avro single-object encoding"), reason);
        }
    }

    static JobSettings settings(String in, String out) {
        Properties p = new Properties();
        p.setProperty("input.format", in);
        p.setProperty("output.format", out);
        JobSettings s = JobSettings.from(p);
        assertEquals(WireFormat.parse(in), s.inputFormat());
        return s;
    }

    private static byte[] toAvro(byte[] json) {
        try {
            return AvroTraceRecords.fromJson(json);
        } catch (InvalidRecordException e) {
            throw new AssertionError(e.getMessage());
        }
    }

    /** Outputs as (key, JSON text); Avro values are read back to JSON with {@link AvroOutputs#toJson}. */
    record Outputs(List<String> edges, List<String> delays, List<String> anomalies, List<String> summaries,
                   List<String> deadLetters) {
        List<JsonNode> json(List<String> keyed) {
            return keyed.stream().map(s -> {
                try {
                    return Json.MAPPER.readTree(s.substring(s.indexOf('\t') + 1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static Outputs run(JobSettings settings, List<byte[]> lines, Function<byte[], byte[]> encode) {
        TraceDecoder keys = new TraceDecoder(Integer.MAX_VALUE);
        List<KeyValue<String, byte[]>> records = new ArrayList<>();
        for (byte[] line : lines) {
            String key;
            try {
                key = keys.decode(line).contractKey();
            } catch (InvalidRecordException e) {
                key = null;
            }
            records.add(KeyValue.pair(key, encode.apply(line)));
        }
        boolean avroOut = settings.outputFormat() == WireFormat.AVRO;
        try (TopologyHarness h = TopologyHarness.raw(settings)) {
            records.forEach(r -> h.pipeBytes(r.key, r.value));
            h.flush();
            return new Outputs(text(h.read(h.topics().wakeEdges()), avroOut), text(h.read(h.topics().wakeDelays()), avroOut),
                    text(h.read(h.topics().anomalies()), avroOut),
                    text(h.read(h.topics().taskSummaries()), avroOut), text(h.read(h.topics().deadLetter()), false));
        }
    }

    private static List<String> text(List<TestRecord<String, byte[]>> records, boolean avro) {
        return records.stream().map(r -> r.key() + "\t"
                + new String(avro ? AvroOutputs.toJson(r.value()) : r.value(), StandardCharsets.UTF_8)).toList();
    }
}
