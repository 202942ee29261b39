package io.tokiowakes.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Parses and validates trace record v1 JSON. Everything the contract requires is checked here,
 * so later stages can trust a {@link TraceRecord}; anything else is an {@link InvalidRecordException}
 * whose message says what is wrong.
 */
public final class TraceDecoder implements RecordDecoder {

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
        ObjectNode picked;
        try (JsonParser p = mapper.getFactory().createParser(value)) {
            picked = FieldPicker.pick(mapper, p);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("unreadable: " + e.getMessage());
        }
        return decode(picked != null ? picked : parseWhole(value));
    }

    /** A full parse of the value into a tree, for values that are not one object (to say why). */
    ObjectNode parseWhole(byte[] value) throws InvalidRecordException {
        return parseObject(mapper, value);
    }

    /** Parses a value that must be one JSON object; anything else is refused with the reason. */
    public static ObjectNode parseObject(ObjectMapper mapper, byte[] value) throws InvalidRecordException {
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
        return obj;
    }

    public TraceRecord decode(ObjectNode obj) throws InvalidRecordException {
        String typeName = JsonFields.requiredString(obj, "type");
        RecordType type = RecordType.fromWire(typeName);
        if (type == null) {
            throw new InvalidRecordException("unknown type \"" + typeName + "\"");
        }
        String source = JsonFields.requiredString(obj, "source");
        if (source.isEmpty()) {
            throw new InvalidRecordException("empty source");
        }
        Long seq = JsonFields.optionalU64(obj, "seq");
        Long ts = JsonFields.optionalU64(obj, "ts_nanos");
        if (ts == null) {
            throw new InvalidRecordException("missing ts_nanos");
        }
        String threadId = JsonFields.optionalString(obj, "thread.id");
        String threadName = JsonFields.optionalString(obj, "thread.name");
        if (threadName == null) {
            threadName = "";
        }
        JsonNode fields = obj.get("fields");
        if (fields != null && !fields.isNull() && !fields.isObject()) {
            throw new InvalidRecordException("fields must be an object");
        }

        Long spanId = null;
        if (type.isSpan()) {
            spanId = JsonFields.optionalU64(obj, "span_id");
            if (spanId == null) {
                throw new InvalidRecordException("missing span_id on " + typeName);
            }
            if (spanId == 0) {
                throw new InvalidRecordException("span_id 0 is not a tracing span ID");
            }
        }
        Long parentId = JsonFields.optionalU64(obj, "parent_id");
        String name = JsonFields.optionalString(obj, "name");
        String target = JsonFields.optionalString(obj, "target");

        TaskInfo task = null;
        WakerOp op = null;
        Long wakee = null;
        if (type == RecordType.SPAN_NEW && TraceRecord.TASK_SPAN_NAME.equals(name)) {
            task = taskInfo(fields);
        } else if (type == RecordType.EVENT && TraceRecord.WAKER_TARGET.equals(target)) {
            if (fields == null || !fields.isObject()) {
                throw new InvalidRecordException("waker event without fields");
            }
            String opName = JsonFields.requiredString((ObjectNode) fields, "op");
            op = WakerOp.fromWire(opName);
            if (op == null) {
                throw new InvalidRecordException("unknown waker op \"" + opName + "\"");
            }
            wakee = JsonFields.optionalU64((ObjectNode) fields, "task.id");
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
        String kind = JsonFields.requiredString(f, "kind");
        String name = JsonFields.optionalString(f, "task.name");
        String loc;
        String file = JsonFields.optionalString(f, "loc.file");
        if (file != null) {
            loc = file + ":" + text(f.get("loc.line")) + ":" + text(f.get("loc.col"));
        } else {
            // Tokio < 1.27 blocking tasks carry a single spawn.location string.
            loc = JsonFields.optionalString(f, "spawn.location");
        }
        return new TaskInfo(JsonFields.optionalU64(f, "task.id"), name == null ? "" : name, kind, loc,
                JsonFields.optionalString(f, "fn"), JsonFields.optionalU64(f, "size.bytes"), JsonFields.optionalU64(f, "original_size.bytes"));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "?" : n.asText();
    }
}
