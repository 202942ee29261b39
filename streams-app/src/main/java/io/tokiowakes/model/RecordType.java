package io.tokiowakes.model;

/** The tracing callback a record stands for (trace record v1 {@code type}). */
public enum RecordType {
    SPAN_NEW("span_new"),
    SPAN_ENTER("span_enter"),
    SPAN_EXIT("span_exit"),
    SPAN_CLOSE("span_close"),
    SPAN_RECORD("span_record"),
    EVENT("event");

    private final String wire;

    RecordType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean isSpan() {
        return this != EVENT;
    }

    /** @return the type, or null when the name is not one of the contract's. */
    public static RecordType fromWire(String name) {
        for (RecordType t : values()) {
            if (t.wire.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
