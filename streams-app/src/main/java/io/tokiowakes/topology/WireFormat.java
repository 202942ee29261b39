package io.tokiowakes.topology;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How values are encoded on a topic. */
public enum WireFormat {
    /** UTF-8 JSON, the default. */
    JSON,
    /**
     * Avro single-object encoding (marker, schema fingerprint, binary body) by the schemas in
     * {@code schemas/}; the fingerprint names the schema, so no registry is needed.
     */
    AVRO;

    public static WireFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format \"" + name + "\" ("
                    + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + ")");
        }
    }
}
