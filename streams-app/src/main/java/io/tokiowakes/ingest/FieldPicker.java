package io.tokiowakes.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Set;

/**
 * Reads a record's JSON in one streaming pass into an object holding only the members the decoder
 * looks at: most of a trace record (log messages, resource state, levels) is never needed, and
 * building a tree of it costs more than the rest of the job's work on the record. Every token is
 * still read, so malformed JSON is refused exactly as a full parse would refuse it.
 */
final class FieldPicker {

    private static final Set<String> TOP = Set.of("type", "source", "seq", "ts_nanos", "thread.id", "thread.name",
            "span_id", "parent_id", "name", "target");
    private static final String FIELDS = "fields";
    private static final Set<String> IN_FIELDS = Set.of("op", "task.id", "kind", "task.name", "loc.file", "loc.line",
            "loc.col", "spawn.location", "fn", "size.bytes", "original_size.bytes");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FieldPicker() {
    }

    /**
     * @return the picked object, or null when the value does not start with an object (the caller
     *         then parses it whole, to refuse it for the right reason)
     */
    static ObjectNode pick(ObjectMapper mapper, JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        ObjectNode out = NODES.objectNode();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (TOP.contains(name)) {
                out.set(name, value(mapper, p, t));
            } else if (FIELDS.equals(name)) {
                out.set(name, t == JsonToken.START_OBJECT ? fields(mapper, p) : value(mapper, p, t));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static ObjectNode fields(ObjectMapper mapper, JsonParser p) throws IOException {
        ObjectNode out = NODES.objectNode();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (IN_FIELDS.contains(name)) {
                out.set(name, value(mapper, p, t));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    /** The current value as the node a full parse would have made of it. */
    private static JsonNode value(ObjectMapper mapper, JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> mapper.readTree(p);
        };
    }
}
