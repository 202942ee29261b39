package io.tokiowakes.ingest;

import io.tokiowakes.model.TraceRecord;

/** An input value after decoding: a record, or the original bytes with the reason it was refused. */
public record Decoded(TraceRecord record, byte[] raw, String error) {

    /** Decodes a value as the job's ingest does: the record, or the value with the reason it is refused. */
    public static Decoded of(RecordDecoder decoder, byte[] value) {
        try {
            return ok(decoder.decode(value));
        } catch (InvalidRecordException e) {
            return failed(value, e.getMessage());
        }
    }

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
