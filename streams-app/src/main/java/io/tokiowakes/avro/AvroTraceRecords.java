package io.tokiowakes.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.JsonFields;
import io.tokiowakes.ingest.TraceDecoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trace record v1 between its JSON form and its Avro form ({@link TraceRecordV1}, single-object
 * encoded). Producers and {@code replay} write Avro with {@link #fromJson(byte[])}; the job reads
 * it back through {@link #toJson(TraceRecordV1)} so that both formats pass the same validation.
 * u64 values travel as the long with the same 64 bits.
 */
public final class AvroTraceRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private AvroTraceRecords() {
    }

    /**
     * One trace record v1 JSON value (a Kafka message, a file line) as Avro single-object bytes.
     *
     * @throws InvalidRecordException when the value is not a JSON object with the contract's
     *                                field types (the job's validation rules apply on reading)
     */
    public static byte[] fromJson(byte[] json) throws InvalidRecordException {
        if (json == null) {
            throw new InvalidRecordException("empty value");
        }
        return encode(fromJson(TraceDecoder.parseObject(MAPPER, json)));
    }

    public static TraceRecordV1 fromJson(ObjectNode obj) throws InvalidRecordException {
        TraceRecordV1 r = new TraceRecordV1();
        r.setType(JsonFields.requiredString(obj, "type"));
        r.setSource(JsonFields.requiredString(obj, "source"));
        r.setSeq(JsonFields.optionalU64(obj, "seq"));
        Long ts = JsonFields.optionalU64(obj, "ts_nanos");
        if (ts == null) {
            throw new InvalidRecordException("missing ts_nanos");
        }
        r.setTsNanos(ts);
        r.setThreadId(JsonFields.optionalString(obj, "thread.id"));
        r.setThreadName(JsonFields.optionalString(obj, "thread.name"));
        r.setSpanId(JsonFields.optionalU64(obj, "span_id"));
        r.setParentId(JsonFields.optionalU64(obj, "parent_id"));
        r.setName(JsonFields.optionalString(obj, "name"));
        r.setTarget(JsonFields.optionalString(obj, "target"));
        r.setLevel(JsonFields.optionalString(obj, "level"));
        JsonNode fields = obj.get("fields");
        if (fields != null && !fields.isNull()) {
            if (!fields.isObject()) {
                throw new InvalidRecordException("fields must be an object");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), fieldValue(e.getValue()));
            }
            r.setFields(values);
        }
        return r;
    }

    public static byte[] encode(TraceRecordV1 record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            TraceRecordV1.getEncoder().encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The record as its trace record v1 JSON object (absent optional fields left out). */
    public static ObjectNode toJson(TraceRecordV1 r) {
        ObjectNode o = NODES.objectNode();
        o.put("type", r.getType());
        o.put("source", r.getSource());
        putU64(o, "seq", r.getSeq());
        putU64(o, "ts_nanos", r.getTsNanos());
        putString(o, "thread.id", r.getThreadId());
        putString(o, "thread.name", r.getThreadName());
        putU64(o, "span_id", r.getSpanId());
        putU64(o, "parent_id", r.getParentId());
        putString(o, "name", r.getName());
        putString(o, "target", r.getTarget());
        putString(o, "level", r.getLevel());
        if (r.getFields() != null) {
            ObjectNode f = o.putObject("fields");
            r.getFields().forEach((k, v) -> f.set(k, fieldNode(v)));
        }
        return o;
    }

    private static Object fieldValue(JsonNode n) {
        if (n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                return n.longValue();
            }
            BigInteger big = n.bigIntegerValue();
            if (big.signum() > 0 && big.compareTo(TWO_64) < 0) {
                return new U64(ByteBuffer.allocate(8).putLong(big.longValue()).array());
            }
            // Past 64 bits: kept exact as its digits, the job refuses it where it needs a number.
            return big.toString();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        // Not scalar, so not a tracing value; carried as its JSON text.
        return n.toString();
    }

    private static JsonNode fieldNode(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof U64 u) {
            return NODES.numberNode(new BigInteger(1, u.bytes()));
        }
        return NODES.textNode(v.toString());
    }

    private static void putU64(ObjectNode o, String field, Long v) {
        if (v == null) {
            return;
        }
        if (v >= 0) {
            o.put(field, v);
        } else {
            o.put(field, new BigInteger(Long.toUnsignedString(v)));
        }
    }

    private static void putString(ObjectNode o, String field, String v) {
        if (v != null) {
            o.put(field, v);
        }
    }

}
