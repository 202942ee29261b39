package io.tokiowakes.graph;

import io.tokiowakes.model.WakeKind;

/**
 * Keys of the wake-graph window store: source, window start, waker, wakee, kind, separated by a
 * character below every printable one, with the window start in fixed-width hex, so that a range
 * scan of one source yields its windows in time order.
 */
public final class WindowKeys {

    static final char SEP = '\u0001';

    /** One count: a (waker, wakee, kind) in one window of one source. */
    public record Cell(String source, long windowStartMs, String waker, String wakee, WakeKind kind) {
    }

    private WindowKeys() {
    }

    public static String key(Cell c) {
        return window(c.source(), c.windowStartMs()) + c.waker() + SEP + c.wakee() + SEP + c.kind().name();
    }

    /** Prefix of every key of one source. */
    public static String source(String source) {
        return source + SEP;
    }

    /** Prefix of every key of one window of one source. */
    public static String window(String source, long windowStartMs) {
        String hex = Long.toHexString(windowStartMs);
        return source + SEP + "0".repeat(16 - hex.length()) + hex + SEP;
    }

    public static Cell parse(String key) {
        String[] p = key.split(String.valueOf(SEP), -1);
        if (p.length != 5) {
            throw new IllegalArgumentException("not a wake-graph key: " + key.replace(SEP, '|'));
        }
        return new Cell(p[0], Long.parseUnsignedLong(p[1], 16), p[2], p[3], WakeKind.valueOf(p[4]));
    }
}
