package io.tokiowakes.ingest.ari;

import java.util.List;

/**
 * The outcome of one conversion.
 *
 * @param records the trace records written to the sink
 * @param errors  the lines that could not be converted, in file order
 */
public record AriConversion(long records, List<AriLineError> errors) {

    public AriConversion {
        errors = List.copyOf(errors);
    }
}
