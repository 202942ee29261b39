package io.tokiowakes.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The members the decoder needs, read in one streaming pass straight into fields: no tree, no
 * node per value. It reads only values of the types the contract gives them; when a member the
 * decoder may look at has another type, {@link #read} gives up and the caller parses the record
 * the slow way, which says exactly what is wrong. Every token is still read, so malformed JSON
 * is refused as a full parse refuses it; as in a parsed tree, a member given twice counts once,
 * the last time.
 */
final class StreamedMembers implements Members {

    private String type;
    private String source;
    private Long seq;
    private Long tsNanos;
    private String threadId;
    private String threadName;
    private Long spanId;
    private Long parentId;
    private String name;
    private String target;
    private boolean hasFields;
    private String op;
    private Long taskId;
    private String kind;
    private String taskName;
    private String locFile;
    private String locLine;
    private String locCol;
    private String spawnLocation;
    private String fn;
    private Long sizeBytes;
    private Long originalSizeBytes;
    private String concreteType;
    private String isInternal;

    private final InternedText texts;

    private StreamedMembers(InternedText texts) {
        this.texts = texts;
    }

    /**
     * @return the members, or null when the value is not one object whose members have the
     *         contract's types (the caller then parses it whole to say why)
     * @param texts where repeated texts (sources, threads, names) are kept as one string each
     * @throws IOException when the value is not JSON
     */
    static StreamedMembers read(JsonParser p, InternedText texts) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        StreamedMembers m = new StreamedMembers(texts);
        String member;
        while ((member = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            boolean ok = switch (member) {
                case "type" -> (m.type = m.text(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "source" -> (m.source = m.text(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "seq" -> (m.seq = u64(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "ts_nanos" -> (m.tsNanos = u64(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "thread.id" -> (m.threadId = m.text(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "thread.name" -> (m.threadName = m.text(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "span_id" -> (m.spanId = u64(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "parent_id" -> (m.parentId = u64(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "name" -> (m.name = m.text(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "target" -> (m.target = m.text(p, t)) != null || t == JsonToken.VALUE_NULL;
                case "fields" -> m.fields(p, t);
                default -> {
                    p.skipChildren();
                    yield true;
                }
            };
            if (!ok) {
                return null;
            }
        }
        return m;
    }

    private boolean fields(JsonParser p, JsonToken t) throws IOException {
        op = kind = taskName = locFile = locLine = locCol = spawnLocation = fn = concreteType = isInternal = null;
        taskId = sizeBytes = originalSizeBytes = null;
        hasFields = t != JsonToken.VALUE_NULL;
        if (!hasFields) {
            return true;
        }
        if (t != JsonToken.START_OBJECT) {
            return false;
        }
        String member;
        while ((member = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            boolean ok = switch (member) {
                case "op" -> (op = text(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "task.id" -> (taskId = u64(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "kind" -> (kind = text(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "task.name" -> (taskName = text(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "loc.file" -> (locFile = text(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "loc.line" -> (locLine = scalarText(p, v)) != null;
                case "loc.col" -> (locCol = scalarText(p, v)) != null;
                case "spawn.location" -> (spawnLocation = text(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "fn" -> (fn = text(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "size.bytes" -> (sizeBytes = u64(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "original_size.bytes" -> (originalSizeBytes = u64(p, v)) != null || v == JsonToken.VALUE_NULL;
                // Resource fields are not typed by the contract: a scalar is read as its text.
                case "concrete_type" -> (concreteType = lenientText(p, v)) != null || v == JsonToken.VALUE_NULL;
                case "is_internal" -> (isInternal = lenientText(p, v)) != null || v == JsonToken.VALUE_NULL;
                default -> {
                    p.skipChildren();
                    yield true;
                }
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The string, or null (for null, or another type: the caller tells them apart). */
    private String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return texts.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
        p.skipChildren();
        return null;
    }

    /** A non-negative integer that fits a long, or null (null, negative, larger, or another type). */
    private static Long u64(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long v = p.getLongValue();
            return v < 0 ? null : v;
        }
        p.skipChildren();
        return null;
    }

    /**
     * A string, integer or boolean as a tree node prints it ({@code asText}); null for null and for
     * anything else (the caller then reads the record as a tree, which prints those too).
     */
    private static String lenientText(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_TRUE, VALUE_FALSE -> p.getText();
            default -> {
                p.skipChildren();
                yield null;
            }
        };
    }

    /** A scalar as a tree node prints it ({@code asText}); "?" for null; null for an object or array. */
    private static String scalarText(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_TRUE, VALUE_FALSE -> p.getText();
            case VALUE_NULL -> "?";
            default -> {
                p.skipChildren();
                yield null;
            }
        };
    }

    @Override
    public String string(String member) {
        return switch (member) {
            case "type" -> type;
            case "source" -> source;
            case "thread.id" -> threadId;
            case "thread.name" -> threadName;
            case "name" -> name;
            case "target" -> target;
            default -> throw new IllegalArgumentException(member);
        };
    }

    @Override
    public Long u64(String member) {
        return switch (member) {
            case "seq" -> seq;
            case "ts_nanos" -> tsNanos;
            case "span_id" -> spanId;
            case "parent_id" -> parentId;
            default -> throw new IllegalArgumentException(member);
        };
    }

    @Override
    public boolean hasFields() {
        return hasFields;
    }

    @Override
    public boolean fieldsIsObject() {
        return hasFields;
    }

    @Override
    public String fieldString(String member) {
        return switch (member) {
            case "op" -> op;
            case "kind" -> kind;
            case "task.name" -> taskName;
            case "loc.file" -> locFile;
            case "spawn.location" -> spawnLocation;
            case "fn" -> fn;
            default -> throw new IllegalArgumentException(member);
        };
    }

    @Override
    public Long fieldU64(String member) {
        return switch (member) {
            case "task.id" -> taskId;
            case "size.bytes" -> sizeBytes;
            case "original_size.bytes" -> originalSizeBytes;
            default -> throw new IllegalArgumentException(member);
        };
    }

    @Override
    public String fieldLenient(String member) {
        return switch (member) {
            case "kind" -> kind;
            case "loc.file" -> locFile;
            case "concrete_type" -> concreteType;
            case "is_internal" -> isInternal;
            default -> throw new IllegalArgumentException(member);
        };
    }

    @Override
    public String fieldText(String member) {
        String v = switch (member) {
            case "loc.line" -> locLine;
            case "loc.col" -> locCol;
            default -> throw new IllegalArgumentException(member);
        };
        return v == null ? "?" : v;
    }
}
