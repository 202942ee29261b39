package io.tokiowakes.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigInteger;

/**
 * Parses and validates trace record v1 JSON. Everything the contract requires is checked here,
 * so later stages can trust a {@link TraceRecord}; anything else is an {@link InvalidRecordException}
 * whose message says what is wrong.
 */
public final class TraceDecoder implements RecordDecoder {

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final ObjectMapper mapper;
    private final int maxRecordBytes;

    public TraceDecoder(int maxRecordBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
        this.mapper = new ObjectMapper(factory);
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public TraceRecord decode(byte[] value) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException("empty value");
        }
        if (value.length > maxRecordBytes) {
            throw new InvalidRecordException("record of " + value.length + " bytes exceeds the limit of " + maxRecordBytes);
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            // Jackson validates UTF-8 while parsing, so invalid bytes land here too.
            throw new InvalidRecordException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("unreadable: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode obj)) {
            throw new InvalidRecordException("not a JSON object");
        }
        return decode(obj);
    }

    public TraceRecord decode(ObjectNode obj) throws InvalidRecordException {
        String typeName = requiredString(obj, "type");
        RecordType type = RecordType.fromWire(typeName);
        if (type == null) {
            throw new InvalidRecordException("unknown type \"" + typeName + "\"");
        }
        String source = requiredString(obj, "source");
        if (source.isEmpty()) {
            throw new InvalidRecordException("empty source");
        }
        Long seq = optionalU64(obj, "seq");
        Long ts = optionalU64(obj, "ts_nanos");
        if (ts == null) {
            throw new InvalidRecordException("missing ts_nanos");
        }
        String threadId = optionalString(obj, "thread.id");
        String threadName = optionalString(obj, "thread.name");
        if (threadName == null) {
            threadName = "";
        }
        JsonNode fields = obj.get("fields");
        if (fields != null && !fields.isNull() && !fields.isObject()) {
            throw new InvalidRecordException("fields must be an object");
        }

        Long spanId = null;
        if (type.isSpan()) {
            spanId = optionalU64(obj, "span_id");
            if (spanId == null) {
                throw new InvalidRecordException("missing span_id on " + typeName);
            }
            if (spanId == 0) {
                throw new InvalidRecordException("span_id 0 is not a tracing span ID");
            }
        }
        Long parentId = optionalU64(obj, "parent_id");
        String name = optionalString(obj, "name");
        String target = optionalString(obj, "target");

        TaskInfo task = null;
        WakerOp op = null;
        Long wakee = null;
        if (type == RecordType.SPAN_NEW && TraceRecord.TASK_SPAN_NAME.equals(name)) {
            task = taskInfo(fields);
        } else if (type == RecordType.EVENT && TraceRecord.WAKER_TARGET.equals(target)) {
            if (fields == null || !fields.isObject()) {
                throw new InvalidRecordException("waker event without fields");
            }
            String opName = requiredString((ObjectNode) fields, "op");
            op = WakerOp.fromWire(opName);
            if (op == null) {
                throw new InvalidRecordException("unknown waker op \"" + opName + "\"");
            }
            wakee = optionalU64((ObjectNode) fields, "task.id");
            if (wakee == null) {
                throw new InvalidRecordException("waker event without task.id");
            }
        }
        return new TraceRecord(type, source, seq, ts, threadId, threadName, spanId, parentId,
                name, target, task, op, wakee);
    }

    private static TaskInfo taskInfo(JsonNode fields) throws InvalidRecordException {
        if (fields == null || !fields.isObject()) {
            throw new InvalidRecordException("runtime.spawn span without fields");
        }
        ObjectNode f = (ObjectNode) fields;
        String kind = requiredString(f, "kind");
        String name = optionalString(f, "task.name");
        String loc;
        String file = optionalString(f, "loc.file");
        if (file != null) {
            loc = file + ":" + text(f.get("loc.line")) + ":" + text(f.get("loc.col"));
        } else {
            // Tokio < 1.27 blocking tasks carry a single spawn.location string.
            loc = optionalString(f, "spawn.location");
        }
        return new TaskInfo(optionalU64(f, "task.id"), name == null ? "" : name, kind, loc,
                optionalString(f, "fn"), optionalU64(f, "size.bytes"), optionalU64(f, "original_size.bytes"));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "?" : n.asText();
    }

    private static String requiredString(ObjectNode obj, String field) throws InvalidRecordException {
        String s = optionalString(obj, field);
        if (s == null) {
            throw new InvalidRecordException("missing " + field);
        }
        return s;
    }

    private static String optionalString(ObjectNode obj, String field) throws InvalidRecordException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidRecordException(field + " must be a string, got " + n);
        }
        return n.textValue();
    }

    /**
     * Span IDs are u64 and may exceed 2^63: they are kept in a long with the same 64 bits
     * (compare and print them as unsigned).
     */
    private static Long optionalU64(ObjectNode obj, String field) throws InvalidRecordException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw new InvalidRecordException(field + " must be an unsigned integer, got " + abbreviate(n.toString()));
        }
        if (n.canConvertToLong()) {
            long v = n.longValue();
            if (v < 0) {
                throw new InvalidRecordException(field + " must not be negative, got " + v);
            }
            return v;
        }
        BigInteger big = n.bigIntegerValue();
        if (big.signum() < 0 || big.compareTo(U64_MAX) > 0) {
            throw new InvalidRecordException(field + " is outside the u64 range: " + abbreviate(big.toString()));
        }
        return big.longValue();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

}
