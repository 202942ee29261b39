package io.tokiowakes.ingest;

import io.tokiowakes.model.TaskInfo;
import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.model.WakerOp;
import io.tokiowakes.model.RecordType;
import io.tokiowakes.model.TraceRecord;
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
    private final InternedText texts = new InternedText();

    public TraceDecoder(int maxRecordBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                // The contract's values are UTF-8: no guessing of the encoding for every record
                // (50-110 ns of a record's 600-700 ns of parsing).
                .disable(JsonFactory.Feature.CHARSET_DETECTION)
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
        Members members;
        int from = byteOrderMark(value);
        try (JsonParser p = mapper.getFactory().createParser(value, from, value.length - from)) {
            members = StreamedMembers.read(p, texts);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("unreadable: " + e.getMessage());
        }
        // A member of an unexpected type: the tree of the record says what is wrong.
        return build(members != null ? members : new TreeMembers(parseWhole(value)));
    }

    /** A full parse of the value into a tree, for values that are not one object (to say why). */
    ObjectNode parseWhole(byte[] value) throws InvalidRecordException {
        return parseObject(mapper, value);
    }

    /** Parses a value that must be one JSON object; anything else is refused with the reason. */
    public static ObjectNode parseObject(ObjectMapper mapper, byte[] value) throws InvalidRecordException {
        JsonNode root;
        try {
            int from = byteOrderMark(value);
            root = mapper.readTree(value, from, value.length - from);
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

    /**
     * Bytes of a UTF-8 byte order mark at the start of a value: not JSON (RFC 8259, section 8.1),
     * but read past, as a parser may. Values are UTF-8 (trace record v1): another encoding is
     * refused as not JSON, not guessed at for every record.
     */
    private static int byteOrderMark(byte[] value) {
        return value.length >= 3 && value[0] == (byte) 0xEF && value[1] == (byte) 0xBB && value[2] == (byte) 0xBF ? 3 : 0;
    }

    public TraceRecord decode(ObjectNode obj) throws InvalidRecordException {
        return build(new TreeMembers(obj));
    }

    /** The contract's rules, in the order they are checked (the first broken one is the reason given). */
    private static TraceRecord build(Members m) throws InvalidRecordException {
        String typeName = required(m.string("type"), "type");
        RecordType type = RecordType.fromWire(typeName);
        if (type == null) {
            throw new InvalidRecordException("unknown type \"" + typeName + "\"");
        }
        String source = required(m.string("source"), "source");
        if (source.isEmpty()) {
            throw new InvalidRecordException("empty source");
        }
        Long seq = m.u64("seq");
        Long ts = m.u64("ts_nanos");
        if (ts == null) {
            throw new InvalidRecordException("missing ts_nanos");
        }
        String threadId = m.string("thread.id");
        String threadName = m.string("thread.name");
        if (threadName == null) {
            threadName = "";
        }
        if (m.hasFields() && !m.fieldsIsObject()) {
            throw new InvalidRecordException("fields must be an object");
        }

        Long spanId = null;
        if (type.isSpan()) {
            spanId = m.u64("span_id");
            if (spanId == null) {
                throw new InvalidRecordException("missing span_id on " + typeName);
            }
            if (spanId == 0) {
                throw new InvalidRecordException("span_id 0 is not a tracing span ID");
            }
        }
        Long parentId = m.u64("parent_id");
        String name = m.string("name");
        String target = m.string("target");

        TaskInfo task = null;
        WakerOp op = null;
        Long wakee = null;
        ResourceInfo resource = null;
        if (type == RecordType.SPAN_NEW && TraceRecord.TASK_SPAN_NAME.equals(name)) {
            task = taskInfo(m);
        } else if (type == RecordType.SPAN_NEW && ResourceInfo.roleOf(name) != null) {
            resource = resourceInfo(m, ResourceInfo.roleOf(name));
        } else if (type == RecordType.EVENT && TraceRecord.WAKER_TARGET.equals(target)) {
            if (!m.hasFields()) {
                throw new InvalidRecordException("waker event without fields");
            }
            String opName = required(m.fieldString("op"), "op");
            op = WakerOp.fromWire(opName);
            if (op == null) {
                throw new InvalidRecordException("unknown waker op \"" + opName + "\"");
            }
            wakee = m.fieldU64("task.id");
            if (wakee == null) {
                throw new InvalidRecordException("waker event without task.id");
            }
        }
        return new TraceRecord(type, source, seq, ts, threadId, threadName, spanId, parentId,
                name, target, task, op, wakee, resource);
    }

    /**
     * A resource span's fields are not part of the contract: whatever their types, they never make
     * the record invalid (a field that is not text is read as its text).
     */
    private static ResourceInfo resourceInfo(Members m, ResourceInfo.Role role) {
        if (role != ResourceInfo.Role.RESOURCE || !m.hasFields()) {
            return ResourceInfo.of(role);
        }
        String file = m.fieldLenient("loc.file");
        String loc = file == null ? null : file + ":" + m.fieldText("loc.line") + ":" + m.fieldText("loc.col");
        return new ResourceInfo(role, m.fieldLenient("kind"), m.fieldLenient("concrete_type"), loc,
                "true".equals(m.fieldLenient("is_internal")));
    }

    private static TaskInfo taskInfo(Members m) throws InvalidRecordException {
        if (!m.hasFields()) {
            throw new InvalidRecordException("runtime.spawn span without fields");
        }
        String kind = required(m.fieldString("kind"), "kind");
        String name = m.fieldString("task.name");
        String loc;
        String file = m.fieldString("loc.file");
        if (file != null) {
            loc = file + ":" + m.fieldText("loc.line") + ":" + m.fieldText("loc.col");
        } else {
            // Tokio < 1.27 blocking tasks carry a single spawn.location string.
            loc = m.fieldString("spawn.location");
        }
        return new TaskInfo(m.fieldU64("task.id"), name == null ? "" : name, kind, loc,
                m.fieldString("fn"), m.fieldU64("size.bytes"), m.fieldU64("original_size.bytes"));
    }

    private static String required(String value, String member) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException("missing " + member);
        }
        return value;
    }

    /** The members of a parsed record; a member of the wrong type is refused with what it holds. */
    private record TreeMembers(ObjectNode obj) implements Members {

        @Override
        public String string(String name) throws InvalidRecordException {
            return JsonFields.optionalString(obj, name);
        }

        @Override
        public Long u64(String name) throws InvalidRecordException {
            return JsonFields.optionalU64(obj, name);
        }

        @Override
        public boolean hasFields() {
            JsonNode f = obj.get("fields");
            return f != null && !f.isNull();
        }

        @Override
        public boolean fieldsIsObject() {
            return obj.get("fields") instanceof ObjectNode;
        }

        @Override
        public String fieldString(String name) throws InvalidRecordException {
            return JsonFields.optionalString((ObjectNode) obj.get("fields"), name);
        }

        @Override
        public Long fieldU64(String name) throws InvalidRecordException {
            return JsonFields.optionalU64((ObjectNode) obj.get("fields"), name);
        }

        @Override
        public String fieldText(String name) {
            return text(obj.get("fields").get(name));
        }

        @Override
        public String fieldLenient(String name) {
            JsonNode n = obj.get("fields").get(name);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "?" : n.asText();
    }
}
