package io.tokiowakes.ingest;

import io.tokiowakes.model.TraceRecord;

/** Turns one input value (a Kafka message, a file line) into a validated trace record. */
public interface RecordDecoder {

    /** @throws InvalidRecordException with the reason, when the value is not a valid record */
    TraceRecord decode(byte[] value) throws InvalidRecordException;
}
