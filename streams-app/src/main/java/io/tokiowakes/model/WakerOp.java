package io.tokiowakes.model;

/** The {@code op} of a {@code tokio::task::waker} event. */
public enum WakerOp {
    CLONE("waker.clone"),
    DROP("waker.drop"),
    /** Wakes and consumes the waker: no drop follows. */
    WAKE("waker.wake"),
    WAKE_BY_REF("waker.wake_by_ref");

    private final String wire;

    WakerOp(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean isWake() {
        return this == WAKE || this == WAKE_BY_REF;
    }

    public static WakerOp fromWire(String name) {
        for (WakerOp op : values()) {
            if (op.wire.equals(name)) {
                return op;
            }
        }
        return null;
    }
}
