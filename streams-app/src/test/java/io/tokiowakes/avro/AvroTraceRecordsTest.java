package io.tokiowakes.avro;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.KafkaTestSupport;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroTraceRecordsTest {

    private final TraceDecoder json = new TraceDecoder(Integer.MAX_VALUE);
    private final AvroTraceDecoder avro = new AvroTraceDecoder(Integer.MAX_VALUE);

    @ParameterizedTest
    @MethodSource("io.tokiowakes.analyze.ExpectedWakes#fixtureNames")
    void everyFixtureLineDecodesFromAvroAsFromJson(String fixture) throws InvalidRecordException {
        List<byte[]> lines = KafkaTestSupport.fixture(fixture);
        assertTrue(lines.size() > 100);
        for (byte[] line : lines) {
            byte[] bytes = AvroTraceRecords.fromJson(line);
            assertEquals(0xC3, bytes[0] & 0xff);
            assertEquals(0x01, bytes[1]);
            assertEquals(json.decode(line), avro.decode(bytes), new String(line, StandardCharsets.UTF_8));
        }
    }

    @Test
    void u64AboveTwoTo63AndEveryFieldValueTypeSurvive() throws Exception {
        String line = """
                {"type":"event","source":"s","seq":18446744073709551615,"ts_nanos":1795682303676106951,
                 "thread.id":"ThreadId(2)","thread.name":"w","parent_id":18446744073709551614,
                 "name":"event","target":"tokio::task::waker","level":"TRACE",
                 "fields":{"op":"waker.wake","task.id":9223372036854775808,"ratio":0.5,"flag":true,
                           "none":null,"neg":-7,"huge":123456789012345678901234567890,"obj":{"a":[1]}}}""";
        byte[] value = line.getBytes(StandardCharsets.UTF_8);
        TraceRecord r = avro.decode(AvroTraceRecords.fromJson(value));
        assertEquals(json.decode(value), r);
        assertEquals("18446744073709551614", Long.toUnsignedString(r.parentId()));
        assertEquals("9223372036854775808", Long.toUnsignedString(r.wakeeSpanId()));

        ObjectNode back = AvroTraceRecords.toJson(avro.read(AvroTraceRecords.fromJson(value)));
        ObjectNode original = (ObjectNode) Json.MAPPER.readTree(value);
        ((ObjectNode) original.get("fields")).put("huge", "123456789012345678901234567890");
        ((ObjectNode) original.get("fields")).put("obj", "{\"a\":[1]}");
        assertEquals(original, Json.MAPPER.readTree(back.toString()));
    }

    @Test
    void spanIdAboveTwoTo63IsTheNegativeLongWithTheSameBits() throws Exception {
        byte[] value = """
                {"type":"span_enter","source":"s","ts_nanos":1,"span_id":18446744073709551615}"""
                .getBytes(StandardCharsets.UTF_8);
        TraceRecordV1 r = avro.read(AvroTraceRecords.fromJson(value));
        assertEquals(-1L, r.getSpanId());
        assertEquals(-1L, avro.decode(AvroTraceRecords.fromJson(value)).spanId());
    }

    @Test
    void invalidRecordsAreRefusedWithTheReasonJsonGives() throws InvalidRecordException {
        for (String line : List.of(
                "{\"type\":\"span_frobnicate\",\"source\":\"s\",\"ts_nanos\":1}",
                "{\"type\":\"span_enter\",\"source\":\"\",\"ts_nanos\":1,\"span_id\":3}",
                "{\"type\":\"span_enter\",\"source\":\"s\",\"ts_nanos\":1}",
                "{\"type\":\"span_enter\",\"source\":\"s\",\"ts_nanos\":1,\"span_id\":0}",
                "{\"type\":\"event\",\"source\":\"s\",\"ts_nanos\":1,\"target\":\"tokio::task::waker\",\"fields\":{\"op\":\"waker.wake\"}}",
                "{\"type\":\"event\",\"source\":\"s\",\"ts_nanos\":1,\"target\":\"tokio::task::waker\",\"fields\":{\"op\":\"poke\",\"task.id\":1}}",
                "{\"type\":\"span_new\",\"source\":\"s\",\"ts_nanos\":1,\"span_id\":3,\"name\":\"runtime.spawn\"}")) {
            byte[] value = line.getBytes(StandardCharsets.UTF_8);
            String expected = assertThrows(InvalidRecordException.class, () -> json.decode(value)).getMessage();
            byte[] bytes = AvroTraceRecords.fromJson(value);
            assertEquals(expected, assertThrows(InvalidRecordException.class, () -> avro.decode(bytes)).getMessage(), line);
        }
    }

    @Test
    void valuesTheSchemaCannotCarryAreRefusedByTheEncoder() {
        assertReason("not JSON", () -> AvroTraceRecords.fromJson("{nope".getBytes(StandardCharsets.UTF_8)));
        assertReason("missing source", () -> AvroTraceRecords.fromJson(
                "{\"type\":\"event\",\"ts_nanos\":1}".getBytes(StandardCharsets.UTF_8)));
        assertReason("missing ts_nanos", () -> AvroTraceRecords.fromJson(
                "{\"type\":\"event\",\"source\":\"s\"}".getBytes(StandardCharsets.UTF_8)));
        assertReason("span_id must not be negative, got -3", () -> AvroTraceRecords.fromJson(
                "{\"type\":\"span_enter\",\"source\":\"s\",\"ts_nanos\":1,\"span_id\":-3}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void garbageIsRefusedWithAReason() throws InvalidRecordException {
        byte[] jsonBytes = "{\"type\":\"event\"}".getBytes(StandardCharsets.UTF_8);
        assertReason("not Avro single-object encoding: starts with 7B 22", () -> avro.decode(jsonBytes));
        assertReason("shorter than its 10-byte header", () -> avro.decode(new byte[]{(byte) 0xC3, 1, 2}));
        assertReason("empty value", () -> avro.decode(null));

        byte[] good = AvroTraceRecords.fromJson(KafkaTestSupport.fixture("seed-program").get(1));
        byte[] truncated = Arrays.copyOf(good, 14);
        assertReason("invalid Avro trace record", () -> avro.decode(truncated));
        byte[] corrupt = good.clone();
        Arrays.fill(corrupt, 10, corrupt.length, (byte) 0xFF);
        assertReason("invalid Avro trace record", () -> avro.decode(corrupt));

        assertReason("exceeds the limit of 16", () -> new AvroTraceDecoder(16).decode(good));
    }

    @Test
    void anUnknownFingerprintIsRefused() throws InvalidRecordException {
        byte[] bytes = AvroTraceRecords.fromJson(KafkaTestSupport.fixture("seed-program").get(0));
        bytes[2] ^= 0x5A;
        String reason = assertThrows(InvalidRecordException.class, () -> avro.decode(bytes)).getMessage();
        assertTrue(reason.startsWith("unknown Avro schema fingerprint "), reason);
        assertTrue(reason.endsWith("not a released trace record v1 schema"), reason);

        // A record of another schema (an output) on the input topic is refused the same way.
        byte[] edge = AvroOutputsTest.sampleEdgeBytes();
        assertTrue(assertThrows(InvalidRecordException.class, () -> avro.decode(edge)).getMessage()
                .startsWith("unknown Avro schema fingerprint "));
    }

    @Test
    void aRecordWrittenWithSchemaVersion1_0IsRead() throws IOException, InvalidRecordException {
        Schema v10 = new Schema.Parser().parse(SchemaFilesTest.historyFile("trace-record-v1.0.avsc").toFile());
        GenericRecord old = new GenericData.Record(v10);
        old.put("type", "event");
        old.put("source", "old-producer");
        old.put("ts_nanos", 1795682303676106951L);
        old.put("thread_id", "ThreadId(2)");
        old.put("parent_id", 8L);
        old.put("name", "event");
        old.put("target", "tokio::task::waker");
        old.put("level", "TRACE");
        old.put("fields", Map.of("op", "waker.wake_by_ref", "task.id", 8L));
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v10).encode(old).array();

        byte[] asJson = """
                {"type":"event","source":"old-producer","ts_nanos":1795682303676106951,"thread.id":"ThreadId(2)",
                 "parent_id":8,"name":"event","target":"tokio::task::waker","level":"TRACE",
                 "fields":{"op":"waker.wake_by_ref","task.id":8}}""".getBytes(StandardCharsets.UTF_8);
        TraceRecord r = avro.decode(bytes);
        assertEquals(json.decode(asJson), r);
        assertNull(r.seq());
        assertEquals("", r.threadName());
    }

    static void assertReason(String expected, org.junit.jupiter.api.function.Executable call) {
        String reason = assertThrows(InvalidRecordException.class, call).getMessage();
        assertTrue(java.util.regex.Pattern.compile(expected).matcher(reason).find(), reason);
    }
}
