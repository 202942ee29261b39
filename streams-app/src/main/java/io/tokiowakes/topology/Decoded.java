package io.tokiowakes.topology;

import io.tokiowakes.ingest.TraceRecord;

/** An input value after decoding: a record, or the original bytes with the reason it was refused. */
public record Decoded(TraceRecord record, byte[] raw, String error) {

    public static Decoded ok(TraceRecord record) {
        return new Decoded(record, null, null);
    }

    public static Decoded failed(byte[] raw, String error) {
        return new Decoded(null, raw, error);
    }

    public boolean isOk() {
        return record != null;
    }
}
