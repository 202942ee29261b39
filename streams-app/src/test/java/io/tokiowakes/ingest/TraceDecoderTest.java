package io.tokiowakes.ingest;

import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.kafka.KafkaTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder reads only what it needs; what it accepts or refuses, and why, is as a full parse. */
class TraceDecoderTest {

    private static final String ENTER = "{\"type\":\"span_enter\",\"source\":\"s\",\"seq\":1,\"ts_nanos\":5,"
            + "\"thread.id\":\"ThreadId(2)\",\"thread.name\":\"w\",\"span_id\":7}";
    private static final String WAKE = "{\"fields\":{\"message\":\"x\",\"op\":\"waker.wake\",\"task.id\":7,"
            + "\"nested\":{\"a\":[1,{\"b\":2}]}},\"type\":\"event\",\"source\":\"s\",\"seq\":2,\"ts_nanos\":6,"
            + "\"target\":\"tokio::task::waker\",\"level\":\"TRACE\",\"extra\":[[],{}]}";

    private final TraceDecoder decoder = new TraceDecoder(1 << 20);

    @Test
    void decodesEveryFixtureLineAsAFullParseDoes() {
        List<byte[]> lines = new ArrayList<>();
        for (String fixture : io.tokiowakes.analyze.ExpectedWakes.FIXTURES) {
            lines.addAll(KafkaTestSupport.fixture(fixture));
        }
        assertTrue(lines.size() > 1000);
        for (byte[] line : lines) {
            assertEquals(viaFullParse(line), viaDecoder(line), new String(line, StandardCharsets.UTF_8));
        }
    }

    @Test
    void refusesOddInputForTheSameReasonAsAFullParse() {
        List<String> odd = List.of(
                "", "   ", "[]", "[1,", "42", "\"s\"", "null", "{", "{}", "{\"type\":}", "{\"type\":\"event\"} trailing",
                ENTER.replace("\"seq\":1", "\"seq\":-1"),
                ENTER.replace("\"seq\":1", "\"seq\":1.5"),
                ENTER.replace("\"seq\":1", "\"seq\":18446744073709551616"),
                ENTER.replace("\"span_id\":7", "\"span_id\":18446744073709551615"),
                ENTER.replace("\"span_id\":7", "\"span_id\":0"),
                ENTER.replace("\"span_id\":7", "\"span_id\":\"7\""),
                ENTER.replace("\"source\":\"s\"", "\"source\":{\"a\":[1,2,3]}"),
                ENTER.replace("\"source\":\"s\"", "\"source\":\"\""),
                ENTER.replace("\"type\":\"span_enter\"", "\"type\":\"span_enter\",\"type\":\"bogus\""),
                ENTER.replace("\"thread.name\":\"w\"", "\"thread.name\":true"),
                ENTER + "{",
                ENTER.replace("}", ",\"fields\":5}"),
                ENTER.replace("}", ",\"fields\":[1]}"),
                ENTER.replace("}", ",\"fields\":{\"x\":}"),
                WAKE,
                WAKE.replace("\"op\":\"waker.wake\"", "\"op\":\"waker.bogus\""),
                WAKE.replace("\"task.id\":7", "\"task.id\":null"),
                WAKE.replace("\"task.id\":7", "\"task.id\":[7]"),
                WAKE.replace("\"nested\":{\"a\":[1,{\"b\":2}]}", "\"nested\":{\"a\":[1,{\"b\":2}]"),
                "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}");
        for (String value : odd) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            assertEquals(viaFullParse(bytes), viaDecoder(bytes), value);
        }
        byte[] invalidUtf8 = {'{', '"', (byte) 0xC3, '"', ':', '1', '}'};
        assertEquals(viaFullParse(invalidUtf8), viaDecoder(invalidUtf8));
        assertTrue(viaDecoder(invalidUtf8).startsWith("refused: not JSON"), viaDecoder(invalidUtf8));
    }

    /** Values are UTF-8 (trace record v1): a byte order mark is read past, another encoding refused. */
    @Test
    void valuesAreUtf8WithOrWithoutAByteOrderMark() {
        byte[] enter = ENTER.getBytes(StandardCharsets.UTF_8);
        byte[] withMark = new byte[enter.length + 3];
        withMark[0] = (byte) 0xEF;
        withMark[1] = (byte) 0xBB;
        withMark[2] = (byte) 0xBF;
        System.arraycopy(enter, 0, withMark, 3, enter.length);
        assertEquals(viaDecoder(enter), viaDecoder(withMark));
        assertEquals(viaFullParse(enter), viaFullParse(withMark));
        byte[] utf16 = ENTER.getBytes(StandardCharsets.UTF_16);
        assertTrue(viaDecoder(utf16).startsWith("refused: not JSON"), viaDecoder(utf16));
        assertEquals(viaFullParse(utf16), viaDecoder(utf16));
    }

    /**
     * Resource span fields are not part of the contract: whatever their types, the record is read
     * (as a full parse reads it), and the resource keeps what it could read.
     */
    @Test
    void resourceFieldsOfAnyTypeNeverRefuseTheRecord() throws InvalidRecordException {
        String sleep = "{\"type\":\"span_new\",\"source\":\"s\",\"seq\":1,\"ts_nanos\":5,\"span_id\":9,"
                + "\"parent_id\":null,\"name\":\"runtime.resource\",\"target\":\"tokio::time::sleep\","
                + "\"fields\":{\"concrete_type\":\"Sleep\",\"kind\":\"timer\",\"loc.file\":\"src/main.rs\","
                + "\"loc.line\":12,\"loc.col\":5}}";
        ResourceInfo r = decoder.decode(sleep.getBytes(StandardCharsets.UTF_8)).resource();
        assertEquals(new ResourceInfo(ResourceInfo.Role.RESOURCE, "timer", "Sleep", "src/main.rs:12:5", false), r);
        List<String> odd = List.of(sleep,
                sleep.replace("\"Sleep\"", "7"),
                sleep.replace("\"Sleep\"", "null"),
                sleep.replace("\"Sleep\"", "{\"a\":1}"),
                sleep.replace("\"Sleep\"", "1.5"),
                sleep.replace("\"timer\"", "[1]"),
                sleep.replace("\"src/main.rs\"", "3"),
                sleep.replace("\"kind\":\"timer\"", "\"kind\":\"Sync\",\"is_internal\":true"),
                sleep.replace("\"kind\":\"timer\"", "\"kind\":\"Sync\",\"is_internal\":\"true\""),
                sleep.replace("\"kind\":\"timer\"", "\"kind\":\"Sync\",\"is_internal\":false"),
                sleep.replace(",\"fields\":{", ",\"fields\":{\"x\":null,"),
                sleep.replace("runtime.resource", "runtime.resource.async_op"),
                sleep.replace("runtime.resource", "runtime.resource.async_op.poll"),
                sleep.replace("runtime.resource", "runtime.resourceful"));
        for (String value : odd) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            assertEquals(viaFullParse(bytes), viaDecoder(bytes), value);
            assertTrue(!viaDecoder(bytes).startsWith("refused"), viaDecoder(bytes));
        }
        assertEquals(true, decoder.decode(odd.get(7).getBytes(StandardCharsets.UTF_8)).resource().internal());
        assertEquals(ResourceInfo.Role.ASYNC_OP_POLL, decoder.decode(odd.get(12).getBytes(StandardCharsets.UTF_8))
                .resource().role());
        assertEquals(null, decoder.decode(odd.get(13).getBytes(StandardCharsets.UTF_8)).resource(),
                "only Tokio's three resource span names");
    }

    private String viaDecoder(byte[] value) {
        try {
            return decoder.decode(value).toString();
        } catch (InvalidRecordException e) {
            return "refused: " + e.getMessage();
        }
    }

    private String viaFullParse(byte[] value) {
        try {
            return decoder.decode(decoder.parseWhole(value)).toString();
        } catch (InvalidRecordException e) {
            return "refused: " + e.getMessage();
        }
    }
}
