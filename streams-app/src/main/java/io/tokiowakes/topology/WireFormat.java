package io.tokiowakes.topology;

import java.util.Locale;

/** How values are encoded on a topic. */
public enum WireFormat {
    /** UTF-8 JSON, the default. */
    JSON;

    public static WireFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format \"" + name + "\" (json)");
        }
    }
}
